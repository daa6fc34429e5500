// Races settled at the service: a decision someone else sent first, two approvals at once, and
// Ctrl-C while deploy waits for CloudFormation.
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { GetExecutionHistoryCommand, type HistoryEvent, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, changeSetsOf, cliEnv, endpoint, runCli, sdk, startCli, uniqueStackName } from "../support/cli.js";
import { type HookAnswer, type Recorder, startRecorder } from "../support/recorder.js";
import { settled } from "./sfn-helpers.js";

const stack = uniqueStackName("race");
const email = "ops@example.com";
const APPROVED = `{"Status":"Approved! Task approved by ${email}"}`;
const REJECTED = `{"Status":"Rejected! Task rejected by ${email}"}`;
let env: Record<string, string | undefined>;
let recorder: Recorder | undefined;

const run = (args: string[], extra: Record<string, string | undefined> = {}) =>
  runCli([...args, "--stack-name", stack], { env: { ...env, ...extra }, input: "{}" });

async function start(name: string): Promise<string> {
  const started = await run(["start", "--input", "-", "--name", name, "--json"]);
  expect(started.code, started.stderr).toBe(0);
  return JSON.parse(started.stdout).executionArn;
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sdk().sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true }))).events ?? [];
}

/** The task token, read as the email function gets it: from the TaskScheduled event's parameters. */
async function tokenOf(executionArn: string): Promise<string> {
  const scheduled = (await history(executionArn)).find((e) => e.type === "TaskScheduled");
  return JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? "{}").Payload.ExecutionContext.Task.Token;
}

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes"]);
  expect(deployed.code, deployed.stderr).toBe(0);
});

afterEach(async () => {
  await recorder?.stop();
  recorder = undefined;
});

describe("decided by someone else", () => {
  it("says who decided first when the email link wins between reading the token and sending", async () => {
    const executionArn = await start("race-link-first");
    const token = await tokenOf(executionArn);
    recorder = await startRecorder({
      target: endpoint(),
      // The reject link is clicked just before the CLI's approval reaches Step Functions.
      before: async ({ operation }): Promise<HookAnswer> => {
        if (operation === "SendTaskSuccess") await sdk().sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: REJECTED }));
        return "forward";
      },
    });
    const result = await run(["approve", "race-link-first", "--yes"], { AWS_ENDPOINT_URL: recorder.endpoint });

    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      'error: Execution race-link-first was decided by someone else first: it was already decided ("Rejected! Task rejected by ops@example.com")',
    );
    expect(recorder.calls.filter((c) => c.operation === "SendTaskSuccess")).toHaveLength(1);
    const events = await history(executionArn);
    const succeeded = events.filter((e) => e.type === "TaskSucceeded");
    expect(succeeded.map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? "null"))).toEqual([JSON.parse(REJECTED)]);
    expect(events.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name)).toEqual(["RejectedPassState"]);
  });
});

describe("two decisions at once", () => {
  it.each([
    ["approve", "approve", "ApprovedPassState"],
    ["approve", "reject", undefined],
  ] as const)("%s and %s at once decide the execution exactly once", async (first, second, expectedState) => {
    const name = `race-${first}-${second}`;
    const executionArn = await start(name);
    const results = await Promise.all([run([first, name, "--yes"]), run([second, name, "--yes"])]);

    const codes = results.map((r) => r.code).sort();
    expect(codes, results.map((r) => r.stderr).join("\n")).toEqual([0, 3]);
    const loser = results.find((r) => r.code === 3) as CliResult;
    // Depending on who reads the history first, the loser finds it decided before sending, or is refused the token.
    expect(loser.stderr).toMatch(
      /error: Execution race-\S+ (was decided by someone else first|is not waiting): it was already decided \("(Approved|Rejected)!/,
    );

    await settled(sdk().sfn, executionArn);
    const events = await history(executionArn);
    const succeeded = events
      .filter((e) => e.type === "TaskSucceeded")
      .map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? "null"));
    expect(succeeded).toHaveLength(1);
    const winner = results.findIndex((r) => r.code === 0);
    const winnerPayload = [first, second][winner] === "approve" ? APPROVED : REJECTED;
    expect(succeeded[0]).toMatchObject(JSON.parse(winnerPayload));
    const entered = events.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual([expectedState ?? (winnerPayload === APPROVED ? "ApprovedPassState" : "RejectedPassState")]);
  });

  it("decides an execution named twice in one command once", async () => {
    const executionArn = await start("race-named-twice");
    const result = await run(["approve", "race-named-twice", executionArn, "--yes"]);
    expect(result.code, result.stderr).toBe(0);
    await settled(sdk().sfn, executionArn);
    expect((await history(executionArn)).filter((e) => e.type === "TaskSucceeded")).toHaveLength(1);
  });
});

/** Start the CLI to signal it while it runs. */
const spawnCli = (args: string[], extraEnv: Record<string, string | undefined>) =>
  startCli(args, { env: { ...env, ...extraEnv }, timeoutMs: 30_000 });

describe("Ctrl-C during deploy's wait", () => {
  it("stops waiting, says what still runs at AWS, leaves no change set behind, and a rerun resumes", async () => {
    const name = `${stack}-sigint`;
    // moto finishes stacks at once: the proxy shows the stack in progress while `holding` is set.
    let holding = true;
    let executed = false;
    let polls = 0;
    let interrupt = () => {};
    recorder = await startRecorder({
      target: endpoint(),
      before: ({ operation }) => {
        if (operation === "ExecuteChangeSet") executed = true;
        if (operation === "DescribeStacks" && executed && ++polls === 3) interrupt();
        return "forward";
      },
      rewrite: ({ operation }, body) =>
        holding && operation === "DescribeStacks"
          ? body.replaceAll("<StackStatus>CREATE_COMPLETE<", "<StackStatus>CREATE_IN_PROGRESS<")
          : body,
    });
    const proxied = { AWS_ENDPOINT_URL: recorder.endpoint };
    const deploy = spawnCli(["deploy", "--email", email, "--yes", "--stack-name", name], proxied);
    interrupt = () => deploy.child.kill("SIGINT");
    const result = await deploy.done;

    expect(result.code).toBe(130);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `error: Interrupted: stopped watching stack ${name}, which is still CREATE_IN_PROGRESS at AWS (CloudFormation carries on without the CLI).`,
    );
    expect(result.stderr).toContain(`hint: Run \`approvals deploy --stack-name ${name}\` again to resume watching.`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    // Nothing half-done at AWS: the executed change set is the only one, and the stack is whole.
    const { cfn } = sdk();
    const changeSets = await changeSetsOf(cfn, name);
    expect(changeSets.length).toBeGreaterThan(0);
    expect(changeSets.every((s) => s.ExecutionStatus === "EXECUTE_COMPLETE")).toBe(true);
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");

    // Rerun while the stack still shows in progress: it waits for that operation, then goes on.
    polls = 0;
    executed = true;
    interrupt = () => {
      holding = false;
    };
    const rerun = await runCli(["deploy", "--yes", "--stack-name", name], { env: { ...env, ...proxied } });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`Stack ${name} is CREATE_IN_PROGRESS: waiting for that operation to finish first.`);
    expect(rerun.stderr).toMatch(/No changes|up to date/);
  });
});

describe("Ctrl-C during destroy's wait", () => {
  it("stops waiting and says the deletion goes on at AWS", async () => {
    const name = `${stack}-gone`;
    const deployed = await runCli(["deploy", "--email", email, "--yes", "--stack-name", name], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    let deleting = false;
    let polls = 0;
    let interrupt = () => {};
    recorder = await startRecorder({
      target: endpoint(),
      before: ({ operation }) => {
        if (operation === "DeleteStack") deleting = true;
        if (operation === "DescribeStacks" && deleting && ++polls === 2) interrupt();
        return "forward";
      },
      rewrite: ({ operation }, body) =>
        operation === "DescribeStacks" ? body.replaceAll("<StackStatus>DELETE_COMPLETE<", "<StackStatus>DELETE_IN_PROGRESS<") : body,
    });
    const destroy = spawnCli(["destroy", "--yes", "--stack-name", name], { AWS_ENDPOINT_URL: recorder.endpoint });
    interrupt = () => destroy.child.kill("SIGINT");
    const result = await destroy.done;

    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(
      new RegExp(`^error: Interrupted: stopped watching stack ${name}, .*at AWS \\(CloudFormation carries on without the CLI\\)\\.$`, "m"),
    );
    expect(result.stderr).toContain(`hint: Run \`approvals destroy --stack-name ${name}\` again to resume watching.`);
    expect(result.stdout).not.toContain("Deleted stack");
  });
});

describe("Ctrl-C during approve --wait", () => {
  it("stops following, says the decision was sent and the execution goes on at AWS", async () => {
    const executionArn = await start("race-wait");
    let sent = false;
    let polls = 0;
    let interrupt = () => {};
    recorder = await startRecorder({
      target: endpoint(),
      before: ({ operation }) => {
        if (operation === "SendTaskSuccess") sent = true;
        if (operation === "DescribeExecution" && sent && ++polls === 2) interrupt();
        return "forward";
      },
      // The execution ends at once on moto: keep showing it running while the CLI follows it.
      rewrite: ({ operation }, body) =>
        operation === "DescribeExecution" ? body.replace(/"status":\s*"SUCCEEDED"/, '"status": "RUNNING"') : body,
    });
    const approve = spawnCli(["approve", "race-wait", "--yes", "--wait", "--stack-name", stack], { AWS_ENDPOINT_URL: recorder.endpoint });
    interrupt = () => approve.child.kill("SIGINT");
    const result = await approve.done;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain(
      "error: Interrupted: stopped waiting. The decision for race-wait was sent; the execution goes on at AWS.",
    );
    expect(result.stderr).toContain(`hint: See where it ended with \`approvals show race-wait --stack-name ${stack}\`.`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    await settled(sdk().sfn, executionArn);
    expect((await history(executionArn)).filter((e) => e.type === "TaskSucceeded")).toHaveLength(1);
  });
});
