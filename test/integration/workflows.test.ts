// The workflow corpus end to end: each definition of test/fixtures/workflows created straight with
// CreateStateMachine (no stack), an execution started, then the BUILT CLI lists its waiting tasks
// (`pending --state-machine`), shows their branches (`show`), answers (`decide --to`) or refuses
// (exit 2, nothing sent), and the history says which state the workflow entered.
import { type HistoryEvent, SendTaskFailureCommand } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint, runCli, startCli, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { rawControls } from "../support/hostile.js";
import { fixtureDefinition, fixtureExpectations } from "../support/workflow-fixtures.js";
import { enteredState, historyOf, settled, tasksScheduled } from "./sfn-helpers.js";
import { askTask, sqsCallbacks } from "./sqs-callbacks.js";

const { sfn, machine } = sqsCallbacks(endpoint());
const env = cliEnv();
const FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:ask";

interface Expected {
  tasks: { path: (string | number)[]; routes: { branches?: { next: string; output?: unknown }[] } }[];
}

/** A state machine made from the fixture, one execution of it started, and the CLI pointed at it. */
async function started(fixture: string, input: Record<string, unknown> = {}) {
  const { start } = await machine((QueueUrl) => JSON.parse(fixtureDefinition(fixture, { QueueUrl, FunctionArn })));
  const executionArn = await start(input);
  // arn:aws:states:<region>:<account>:execution:<state machine>:<execution>
  const machineName = executionArn.split(":")[6] ?? "";
  const cli = (args: string[]) => runCli([...args, "--state-machine", machineName], { env });
  return { executionArn, cli, machineName };
}

/** Until `count` tasks have been scheduled in the execution (bounded). */
const scheduled = (executionArn: string, count: number) => tasksScheduled(sfn, executionArn, count);

/** Until the state was entered (bounded). */
const entered = (executionArn: string, state: string) => enteredState(sfn, executionArn, state);

const pendingRows = async (cli: (args: string[]) => Promise<{ code: number | null; stdout: string }>) => {
  const result = await cli(["pending", "--json"]);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { state: string; mapIndex: number | null }[]).map((r) =>
    r.mapIndex === null ? r.state : `${r.state}[${r.mapIndex}]`,
  );
};

const succeeded = (events: HistoryEvent[]) => events.filter((e) => e.type === "TaskSucceeded").length;

describe("any workflow, through the built CLI", () => {
  it.each([
    ["seed-status", "Lambda Callback", "RejectedPassState"],
    ["seed-jsonata", "Ask", "ApprovedPassState"],
    ["nested-resultpath", "Review", "Discard"],
    ["variable-three-ways", "Ask", "Escalate"],
  ])("%s: one task listed, its branches shown as the corpus expects, decide --to routes it", async (fixture, task, to) => {
    const { executionArn, cli } = await started(fixture);
    await scheduled(executionArn, 1);
    expect(await pendingRows(cli)).toEqual([task]);
    const shown = await cli(["show", "run-1", "--json"]);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout);
    const expected = fixtureExpectations<Expected>(fixture).tasks[0]?.routes.branches ?? [];
    expect(view.tasks).toHaveLength(1);
    expect(view.tasks[0].state).toBe(task);
    expect(view.tasks[0].branches.map((b: { to: string; output: unknown }) => [b.to, b.output])).toEqual(
      expected.map((b) => [b.next, b.output ?? null]),
    );
    const text = await cli(["show", "run-1"]);
    expect(text.stdout).toContain(`decide run-1 --to ${to}`);
    // The task token (a bearer secret) is in no output.
    const events = await historyOf(sfn, executionArn);
    const parameters = events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails?.parameters ?? "";
    const token = /"(?:token|Token)": ?"([^"]+)"/.exec(parameters)?.[1] ?? "";
    expect(token.length).toBeGreaterThan(20);
    for (const run of [shown, text, await cli(["pending"]), await cli(["pending", "--json"])]) {
      expect(run.stdout + run.stderr).not.toContain(token);
    }
    const decided = await cli(["decide", "run-1", "--to", to, "--yes"]);
    expect(decided.stderr).toBe(`Answer ${task} of run-1 with:\n  ${JSON.stringify(expected.find((b) => b.next === to)?.output)}\n`);
    expect(decided.code).toBe(0);
    expect(await entered(executionArn, to)).toContain(to);
    expect(await pendingRows(cli)).toEqual([]);
  });

  it("a Parallel: two tasks at once; decide refuses without --task, listing them; --task chooses", async () => {
    const { executionArn, cli } = await started("parallel-two-approvers");
    await scheduled(executionArn, 2);
    expect((await pendingRows(cli)).sort()).toEqual(["Finance", "Legal"]);
    const refused = await cli(["decide", "run-1", "--to", "LegalRejected", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("2 tasks wait in run-1: ");
    expect(refused.stderr).toContain("--task");
    expect(succeeded(await historyOf(sfn, executionArn))).toBe(0);
    const legal = await cli(["decide", "run-1", "--task", "Legal", "--to", "LegalRejected", "--yes"]);
    expect(legal.code).toBe(0);
    await entered(executionArn, "LegalRejected");
    expect(await pendingRows(cli)).toEqual(["Finance"]);
    expect((await cli(["decide", "run-1", "--to", "FinanceApproved", "--yes"])).code).toBe(0);
    const states = await entered(executionArn, "Done");
    expect(states).toEqual(expect.arrayContaining(["LegalRejected", "FinanceApproved", "Done"]));
    expect(states).not.toContain("FinanceRejected");
    await settled(sfn, executionArn);
    const listed = await cli(["list", "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ name: "run-1", executionArn, status: "SUCCEEDED" })]);
    expect(JSON.parse((await cli(["list", "--json", "--status", "running"])).stdout)).toEqual([]);
  });

  it("the warm cache keys by task: a one-event read vouches for both tasks; answering one rereads the execution", async () => {
    const { executionArn, cli } = await started("parallel-two-approvers");
    await scheduled(executionArn, 2);
    const debugLine = (stderr: string) => stderr.split("\n").find((l) => l.includes("pending: ")) ?? "";
    const cold = await cli(["pending", "--debug"]);
    expect(debugLine(cold.stderr)).toContain("1 running, 0 verified, 1 read");
    const warm = await cli(["pending", "--debug", "--json"]);
    expect(debugLine(warm.stderr)).toContain("1 running, 1 verified, 0 read");
    expect(JSON.parse(warm.stdout).map((t: { state: string }) => t.state)).toEqual(["Finance", "Legal"]);
    expect((await cli(["decide", "run-1", "--task", "Finance", "--to", "FinanceRejected", "--yes"])).code).toBe(0);
    await entered(executionArn, "FinanceRejected");
    const after = await cli(["pending", "--debug", "--json"]);
    expect(debugLine(after.stderr)).toContain("1 running, 0 verified, 1 read");
    expect(JSON.parse(after.stdout).map((t: { state: string }) => t.state)).toEqual(["Legal"]);
    // Read once more, the remaining task is remembered again.
    expect(debugLine((await cli(["pending", "--debug"])).stderr)).toContain("1 verified, 0 read");
    expect((await cli(["decide", "run-1", "--to", "LegalApproved", "--yes"])).code).toBe(0);
    await entered(executionArn, "Done");
  });

  it("pending --watch --state-machine in a pipe: one line per task that begins or stops waiting; Ctrl-C exits 0", async () => {
    const { executionArn, cli, machineName } = await started("sequence-two-levels");
    await scheduled(executionArn, 1);
    const watcher = startCli(["pending", "--watch", "--interval", "2", "--state-machine", machineName], { env, timeoutMs: 120_000 });
    let stdout = "";
    watcher.child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    const until = async (pattern: RegExp) => {
      await eventually(() => pattern.test(stdout), { deadline: 20_000, what: `the watch to print ${pattern}` });
    };
    await until(/^\+ run-1 {2}Manager$/m);
    expect((await cli(["decide", "run-1", "--to", "Director", "--yes"])).code).toBe(0);
    await until(/^\+ run-1 {2}Director$/m);
    await until(/^- run-1 {2}Manager stopped waiting$/m);
    watcher.child.kill("SIGINT");
    const result = await watcher.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Stopped watching\.$/m);
    expect(result.stdout.trimEnd().split("\n")).toEqual(["+ run-1  Manager", "+ run-1  Director", "- run-1  Manager stopped waiting"]);
  });

  it("a sequence: the manager, then the director (a Lambda callback)", async () => {
    const { executionArn, cli } = await started("sequence-two-levels");
    await scheduled(executionArn, 1);
    expect(await pendingRows(cli)).toEqual(["Manager"]);
    expect((await cli(["decide", "run-1", "--to", "Director", "--yes"])).code).toBe(0);
    await scheduled(executionArn, 2);
    expect(await pendingRows(cli)).toEqual(["Director"]);
    const shown = JSON.parse((await cli(["show", "run-1", "--json"])).stdout);
    expect(shown.tasks.map((t: { state: string }) => t.state)).toEqual(["Director"]);
    expect((await cli(["decide", "run-1", "--to", "Approved", "--yes"])).code).toBe(0);
    expect(await entered(executionArn, "Approved")).toEqual(
      expect.arrayContaining(["Manager", "ManagerDecision", "Director", "DirectorDecision", "Approved"]),
    );
  });

  it("a Map: one task per item, each with its index; --task Name[i] chooses", async () => {
    const { executionArn, cli } = await started("map-per-item", { items: ["laptop", "desk"] });
    await scheduled(executionArn, 2);
    expect((await pendingRows(cli)).sort()).toEqual(["AskItem[0]", "AskItem[1]"]);
    const ambiguous = await cli(["decide", "run-1", "--task", "AskItem", "--to", "Declined", "--yes"]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("AskItem[0], AskItem[1]");
    expect((await cli(["decide", "run-1", "--task", "AskItem[1]", "--to", "Declined", "--yes"])).code).toBe(0);
    await entered(executionArn, "Declined");
    expect(await pendingRows(cli)).toEqual(["AskItem[0]"]);
    expect((await cli(["decide", "run-1", "--to", "Accepted", "--yes"])).code).toBe(0);
    const states = await entered(executionArn, "Accepted");
    expect(states.filter((s) => s === "Accepted" || s === "Declined").sort()).toEqual(["Accepted", "Declined"]);
  });

  it("nothing routes on the answer: --to is refused, sending nothing; --output sends exactly what is given", async () => {
    const { executionArn, cli } = await started("no-choice");
    await scheduled(executionArn, 1);
    const refused = await cli(["decide", "run-1", "--to", "Done", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("nothing routes on the answer");
    expect(await pendingRows(cli)).toEqual(["Acknowledge"]);
    expect(succeeded(await historyOf(sfn, executionArn))).toBe(0);
    const output = '{ "seen" : true, "by": "ann" }';
    expect((await cli(["decide", "run-1", "--output", output, "--yes"])).code).toBe(0);
    await eventually(async () => succeeded(await historyOf(sfn, executionArn)) > 0, { deadline: 10_000, what: "the task to succeed" });
    const done = (await historyOf(sfn, executionArn)).find((e) => e.type === "TaskSucceeded");
    expect(done?.taskSucceededEventDetails?.output).toBe(output);
  });

  it("--state-machine is checked before anything is sent: with --stack-name, malformed, or unknown; one with no callback task says so", async () => {
    const both = await runCli(["pending", "--state-machine", "Orders", "--stack-name", "human-approval"], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--state-machine and --stack-name name two different workflows");
    const malformed = await runCli(["show", "run-1", "--state-machine", "arn:aws:states:us-east-1:1:nope"], { env });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("is neither a state machine name nor a state machine ARN");
    // decide's own options: checked before the state machine is looked for (which would say it does not exist, exit 3).
    const decide = (args: string[]) => runCli(["decide", "run-1", "--state-machine", "no-such-machine-anywhere", ...args], { env });
    const notJson = await decide(["--output", "{approved: true}", "--yes"]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: --output is not JSON: /m);
    for (const args of [["--yes"], ["--to", "A", "--output", "{}", "--yes"]]) {
      const neither = await decide(args);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain("Say what to send: --to <State>");
    }
    const unconfirmed = await decide(["--to", "Approved"]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("Refusing to send an answer without confirmation: no terminal to ask on.");
    const { start } = await machine(() => ({ StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 3600, End: true } } }));
    const plain = (await start({})).split(":")[6] ?? "";
    const nothing = await runCli(["pending", "--state-machine", plain], { env });
    expect(nothing.stdout).toBe(
      `No tasks are waiting for an answer in ${plain}: its definition has no task that waits for a token (.waitForTaskToken).\n`,
    );
    const unknown = await runCli(["pending", "--state-machine", "no-such-machine-anywhere"], { env });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('No state machine named "no-such-machine-anywhere"');
  });

  it("state names and strings from the definition reach the terminal neutralised", async () => {
    // The task's own name stays plain: the emulator records a state name with controls escaped in its history.
    const ask = "Ask";
    const ok = "Ok\u001b[2J";
    const { start } = await machine((QueueUrl) => ({
      QueryLanguage: "JSONata",
      StartAt: ask,
      States: {
        [ask]: askTask(QueueUrl, {}, { Next: "Route" }),
        Route: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.verdict = 'yes\u001b[31m' %}", Next: ok }],
          Default: "Rejected\u009b",
        },
        [ok]: { Type: "Succeed" },
        "Rejected\u009b": { Type: "Fail", Error: "Rejected" },
      },
    }));
    const executionArn = await start({});
    const machineName = executionArn.split(":")[6] ?? "";
    const cli = (args: string[]) => runCli([...args, "--state-machine", machineName], { env });
    await scheduled(executionArn, 1);
    const outputs = [
      await cli(["pending"]),
      await cli(["show", "run-1"]),
      await cli(["show", "run-1", "--json"]),
      await cli(["decide", "run-1", "--to", "Nowhere", "--yes"]),
      await cli(["decide", "run-1", "--to", ok, "--yes"]),
    ];
    for (const { stdout, stderr } of outputs) expect(rawControls(stdout + stderr)).toEqual([]);
    expect(outputs[1]?.stdout).toContain('output  {"verdict":"yes\\u001b[31m"}');
    expect(outputs[4]?.code).toBe(0);
    // The Succeed state (the Default is a Fail): the output routed to the state with the hostile name.
    expect((await settled(sfn, executionArn)).status).toBe("SUCCEEDED");
  });

  it("a condition that cannot be solved: refused with the Choice's rules shown, nothing sent, the execution still waits", async () => {
    const { executionArn, cli } = await started("unsolvable");
    await scheduled(executionArn, 1);
    const refused = await cli(["decide", "run-1", "--to", "Big", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Nothing sent. No output can be given for certain that takes Route to Big");
    expect(refused.stderr).toContain('"Condition"');
    expect(refused.stdout).toBe("");
    expect(await pendingRows(cli)).toEqual(["Ask"]);
    expect(succeeded(await historyOf(sfn, executionArn))).toBe(0);
  });
});

describe("decide on the stack's workflow (no --state-machine)", () => {
  it("routes with the email's exact Status string; refused with --state-machine too; a second decide finds nothing waiting", async () => {
    const stack = uniqueStackName("decide-stack");
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const startedRun = await runCli(["start", "--input", "-", "--name", "to-route", "--json", "--stack-name", stack], { env, input: "{}" });
    const executionArn = JSON.parse(startedRun.stdout).executionArn;
    await scheduled(executionArn, 1);
    const shown = JSON.parse((await runCli(["show", "to-route", "--json", "--stack-name", stack], { env })).stdout);
    expect(shown.tasks).toEqual([
      expect.objectContaining({
        state: "Lambda Callback",
        mapIndex: null,
        branches: [
          { to: "ApprovedPassState", output: { Status: "Approved! Task approved by ops@example.com" }, reason: null },
          { to: "RejectedPassState", output: { Status: "Rejected! Task rejected by ops@example.com" }, reason: null },
        ],
      }),
    ]);
    const both = await runCli(["decide", "to-route", "--to", "RejectedPassState", "--yes", "--stack-name", stack, "--state-machine", "x"], {
      env,
    });
    expect(both.code).toBe(2);
    const decided = await runCli(["decide", "to-route", "--to", "RejectedPassState", "--yes", "--json", "--stack-name", stack], { env });
    expect(decided.code, decided.stderr).toBe(0);
    expect(JSON.parse(decided.stdout).output).toEqual({ Status: "Rejected! Task rejected by ops@example.com" });
    expect(await entered(executionArn, "RejectedPassState")).toContain("RejectedPassState");
    const again = await runCli(["decide", "to-route", "--to", "ApprovedPassState", "--yes", "--stack-name", stack], { env });
    expect(again.code).toBe(3);
    expect(again.stderr).toContain("is not waiting for a decision");
  });
});

describe("decide when the reply is lost", () => {
  let proxy: EmulatorProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  const viaProxy = (machineName: string, args: string[], attempts = 3) =>
    runCli([...args, "--state-machine", machineName], {
      env: { ...env, AWS_ENDPOINT_URL: proxy?.endpoint, AWS_MAX_ATTEMPTS: String(attempts) },
    });

  it.each(["500", "drop"] as const)("reads the history and reports the answer sent when it landed (reply answered %s)", async (answer) => {
    const { executionArn, machineName } = await started("seed-jsonata");
    await scheduled(executionArn, 1);
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "SendTaskSuccess", answer }] });
    const result = await viaProxy(machineName, ["decide", "run-1", "--to", "RejectedPassState", "--yes", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ execution: "run-1", state: "Ask", replyLost: true });
    // The first send landed (its reply lost), the SDK's retry was refused: one answer in the history.
    expect(proxy.received.filter((r) => r.operation === "SendTaskSuccess").map((r) => r.lost ?? r.status)).toEqual([answer, 400]);
    await entered(executionArn, "RejectedPassState");
    expect(succeeded(await historyOf(sfn, executionArn))).toBe(1);
  });

  it("--json: prints the answer's document saying it may have landed, then the error", async () => {
    const { executionArn, machineName } = await started("seed-jsonata");
    await scheduled(executionArn, 1);
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });
    const result = await viaProxy(
      machineName,
      ["decide", "run-1", "--to", "ApprovedPassState", "--yes", "--json", "--cli-read-timeout", "2"],
      1,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ execution: "run-1", state: "Ask", replyLost: false, mayHaveLanded: true });
    expect(result.stderr).toContain("The answer may have landed all the same");
  });

  it("--json: an answer whose reply was lost while another closed the task did not land, and says so", async () => {
    const { executionArn, machineName } = await started("seed-jsonata");
    const events = await scheduled(executionArn, 1);
    const parameters = events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails?.parameters ?? "{}";
    const { token } = JSON.parse(parameters).MessageBody;
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });
    const deciding = viaProxy(
      machineName,
      ["decide", "run-1", "--to", "ApprovedPassState", "--yes", "--json", "--cli-read-timeout", "4"],
      1,
    );
    // While the CLI waits for the reply it will never get, another answer closes the task.
    await eventually(() => (proxy?.stats.swallowed.SendTaskSuccess ?? 0) > 0, { deadline: 20_000, what: "the CLI's answer to be sent" });
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: "Withdrawn", cause: "by another" }));
    const result = await deciding;
    // The task was closed by another answer: this one's token can no longer land, so nothing is unknown.
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toContain("may have landed");
    expect(result.stderr).toMatch(/no longer waits/);
    expect(result.code).toBe(3);
  });

  it("says the answer may have landed, and how to check, when the history cannot tell", async () => {
    const { executionArn, machineName } = await started("seed-jsonata");
    await scheduled(executionArn, 1);
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });
    const result = await viaProxy(machineName, ["decide", "run-1", "--to", "ApprovedPassState", "--yes", "--cli-read-timeout", "2"], 1);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The answer may have landed all the same: run `approvals show run-1 --state-machine");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
