import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeExecutionCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { historyOf, settled, statesEntered, tokenIn, waitForToken } from "./sfn-helpers.js";

const email = "ops@example.com";
const approvedStatus = `Approved! Task approved by ${email}`;
const rejectedStatus = `Rejected! Task rejected by ${email}`;
const stackName = uniqueStackName("exec");
const { sfn } = sdk();
let env: Record<string, string | undefined>;
let stateMachineArn: string;
let apiUrl: string;
const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
const dir = mkdtempSync(join(tmpdir(), "approvals-exec-"));

/** Start an execution through the CLI from stdin and wait until its token is issued. */
async function startWaiting(name: string, input: object): Promise<{ executionArn: string; token: string }> {
  const result = await run(["start", "--input", "-", "--name", name, "--json"], JSON.stringify(input));
  expect(result.stderr).not.toMatch(/^error:/m);
  expect(result.code).toBe(0);
  const { executionArn } = JSON.parse(result.stdout);
  return { executionArn, token: await waitForToken(sfn, executionArn) };
}

/** One entry of `pending --json`. */
interface PendingEntry {
  name: string;
  executionArn: string;
  startDate: string;
  waitingSince: string;
  expiresAt: string;
  input: unknown;
}

/** Neither the raw nor the URL-encoded token is in the text. */
function expectNoToken(text: string, token: string): void {
  expect(text).not.toContain(token);
  expect(text).not.toContain(encodeURIComponent(token));
}

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes", "--json"]);
  expect(deployed.stderr).not.toMatch(/^error:/m);
  expect(deployed.code).toBe(0);
  const { outputs } = JSON.parse(deployed.stdout);
  stateMachineArn = outputs.StateMachineHumanApprovalArn;
  apiUrl = outputs.ApiGatewayInvokeURL;
});

describe("start", () => {
  it("starts an execution from a file", async () => {
    const file = join(dir, "request.json");
    writeFileSync(file, '{\n  "Comment": "Testing the human approval tutorial."\n}\n');
    const result = await run(["start", "--input", file, "--name", "from-file"]);
    expect(result.code).toBe(0);
    const arn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:from-file`;
    expect(result.stdout).toBe(`Started from-file\n  ${arn}\n`);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(execution.stateMachineArn).toBe(stateMachineArn);
    expect(JSON.parse(execution.input ?? "")).toEqual({ Comment: "Testing the human approval tutorial." });
  });

  it("starts an execution from stdin, with a non-ASCII name (--json)", async () => {
    const result = await run(["start", "--input", "-", "--name", "승인-테스트", "--json"], '{"Comment":"승인 요청"}');
    expect(result.code).toBe(0);
    const started = JSON.parse(result.stdout);
    expect(Object.keys(started)).toEqual(["name", "executionArn", "startDate"]);
    expect(started.name).toBe("승인-테스트");
    expect(started.executionArn).toBe(`${stateMachineArn.replace(":stateMachine:", ":execution:")}:승인-테스트`);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(execution.name).toBe("승인-테스트");
    expect(JSON.parse(execution.input ?? "")).toEqual({ Comment: "승인 요청" });
    expect(new Date(started.startDate).getTime()).toBe(execution.startDate?.getTime());
  });

  it("names a generated execution when --name is left out", async () => {
    const result = await run(["start", "--input", "-", "--json"], '{"Comment":"no name"}');
    expect(result.code).toBe(0);
    const { name, executionArn } = JSON.parse(result.stdout);
    expect(name).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).name).toBe(name);
  });

  it.each([
    [
      "invalid JSON, naming where",
      ["--input", "-", "--name", "bad-json"],
      '{"Comment": }',
      /^error: Input stdin is not valid JSON: .* at line 1, column 13\.$/m,
    ],
    [
      "a JSON array",
      ["--input", "-", "--name", "bad-array"],
      "[1]",
      /^error: Input stdin is an array; the workflow expects a JSON object\.$/m,
    ],
    [
      "a missing file",
      ["--input", join(dir, "missing.json"), "--name", "bad-file"],
      "",
      /^error: Cannot read input .*missing\.json: no such file\.$/m,
    ],
    ["an invalid name", ["--input", "-", "--name", "two words"], "{}", /^error: Execution name "two words" contains " "/m],
  ])("refuses %s, starting nothing", async (_what, args, input, message) => {
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.length;
    const result = await run(["start", ...args], input);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.length).toBe(before);
  });

  it("refuses input over 256 KiB, starting nothing", async () => {
    const big = JSON.stringify({ Comment: "x".repeat(256 * 1024) });
    const result = await run(["start", "--input", "-", "--name", "too-big"], big);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Input stdin is \d+ bytes; Step Functions accepts at most 262144 \(256 KiB\)\.$/m);
    await expect(
      sfn.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:too-big` })),
    ).rejects.toThrow();
  });
});

describe("pending, approve, reject, fail and show", () => {
  const waiting: Record<string, { executionArn: string; token: string }> = {};

  beforeAll(async () => {
    for (const [name, comment] of [
      ["to-approve", "please approve"],
      ["to-reject", "please reject"],
      ["to-fail", "withdraw me"],
      ["승인-대기", "한국어 요청"],
    ] as const) {
      waiting[name] = await startWaiting(name, { Comment: comment, amount: 42 });
    }
  });

  it("lists every waiting execution as JSON, with its expiry from the definition's TimeoutSeconds", async () => {
    const result = await run(["pending", "--json"]);
    expect(result.code).toBe(0);
    const pending: PendingEntry[] = JSON.parse(result.stdout);
    const names = pending.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(Object.keys(waiting)));
    // Executions started from a file or stdin earlier wait too; nothing else is listed.
    const running = (await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING" }))).executions ?? [];
    expect(names.sort()).toEqual(running.map((e) => e.name).sort());

    for (const [name, { executionArn }] of Object.entries(waiting)) {
      const entry = pending.find((p) => p.name === name) as PendingEntry;
      expect(Object.keys(entry)).toEqual(["name", "executionArn", "startDate", "waitingSince", "expiresAt", "input"]);
      expect(entry.executionArn).toBe(executionArn);
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(Date.parse(entry.startDate)).toBe(execution.startDate?.getTime());
      expect(Date.parse(entry.expiresAt) - Date.parse(entry.startDate)).toBe(3600 * 1000);
      const scheduled = (await historyOf(sfn, executionArn)).find((e) => e.type === "TaskScheduled");
      expect(Date.parse(entry.waitingSince)).toBe(scheduled?.timestamp?.getTime());
      expect(entry.input).toEqual(JSON.parse(execution.input ?? ""));
    }
    // Newest first.
    const starts = pending.map((p) => Date.parse(p.startDate));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
  });

  it("prints no task token without --links", async () => {
    const tokens = Object.values(waiting).map((w) => w.token);
    for (const args of [["pending"], ["pending", "--json"], ["pending", "--debug"]]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      for (const token of tokens) {
        expectNoToken(result.stdout, token);
        expectNoToken(result.stderr, token);
      }
    }
  });

  it("lists them as a table with the Comment and the time left", async () => {
    const result = await run(["pending"]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^NAME\s+STARTED\s+WAITING FOR\s+TIME LEFT\s+COMMENT$/);
    // An hour's timeout, less the time since the start: on a loaded machine that can reach half a minute.
    expect(result.stdout).toMatch(/^to-approve\s+.*\s(59 min|60 min|1 hr) left\s+please approve$/m);
    expect(result.stdout).toMatch(/^승인-대기\s+.*한국어 요청$/m);
  });

  it("prints the email's Approve and Reject URLs with --links", async () => {
    const result = await run(["pending", "--links"]);
    expect(result.code).toBe(0);
    const sm = stateMachineArn.slice(stateMachineArn.lastIndexOf(":") + 1);
    for (const [name, { token }] of Object.entries(waiting)) {
      // Every parameter URL-encoded, as the email function builds them (승인-대기 included).
      const link = (action: string) =>
        `${apiUrl}/execution?action=${action}&ex=${encodeURIComponent(name)}&sm=${encodeURIComponent(sm)}&taskToken=${encodeURIComponent(token)}`;
      expect(result.stdout).toContain(link("approve"));
      expect(result.stdout).toContain(link("reject"));
    }
    const json = JSON.parse((await run(["pending", "--links", "--json"])).stdout);
    expect(new URL(json.find((p: { name: string }) => p.name === "승인-대기").links.reject).searchParams.get("ex")).toBe("승인-대기");
    const entry = json.find((p: { name: string }) => p.name === "to-approve");
    expect(new URL(entry.links.approve).searchParams.get("taskToken")).toBe(waiting["to-approve"]?.token);
  });

  it("refuses to decide without --yes when there is no terminal to confirm on, sending nothing", async () => {
    const { executionArn } = waiting["to-approve"] as { executionArn: string };
    const before = await historyOf(sfn, executionArn);
    for (const args of [
      ["approve", "to-approve"],
      ["reject", "to-approve"],
      ["fail", "to-approve", "--error", "E"],
    ]) {
      const result = await run([...args, "--debug"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^hint: Pass --yes/m);
      expect(result.stderr).not.toMatch(/SendTask(Success|Failure)/);
    }
    expect(await historyOf(sfn, executionArn)).toEqual(before);
  });

  it("approves with the email link's payload, reaching ApprovedPassState", async () => {
    const { executionArn, token } = waiting["to-approve"] as { executionArn: string; token: string };
    const result = await run(["approve", "to-approve", "--yes"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Approved to-approve/);
    expectNoToken(result.stdout + result.stderr, token);

    const execution = await settled(sfn, executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toMatchObject({ Status: approvedStatus });
    const events = await historyOf(sfn, executionArn);
    expect(statesEntered(events)).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"]);
    const succeeded = events.filter((e) => e.type === "TaskSucceeded");
    expect(succeeded).toHaveLength(1);
    // The emulator re-serialises the output it received (the exact string is a unit test of decisionPayload).
    expect(JSON.parse(succeeded[0]?.taskSucceededEventDetails?.output ?? "")).toMatchObject({ Status: approvedStatus });
  });

  it("refuses to approve an execution already decided (exit 3), sending nothing", async () => {
    const { executionArn } = waiting["to-approve"] as { executionArn: string };
    const before = await historyOf(sfn, executionArn);
    const result = await run(["approve", "to-approve", "--yes", "--debug"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(
      `Execution to-approve is not waiting: it was already decided ("${approvedStatus}") and ended SUCCEEDED`,
    );
    // --debug logs every AWS call: none sent a decision.
    expect(result.stderr).toMatch(/GetExecutionHistory/);
    expect(result.stderr).not.toMatch(/SendTask(Success|Failure)/);
    expect(await historyOf(sfn, executionArn)).toEqual(before);

    const reject = await run(["reject", executionArn, "--yes"]);
    expect(reject.code).toBe(3);
    expect(reject.stderr).toMatch(/^error: Execution to-approve is not waiting: it was already decided/m);
    expect(await historyOf(sfn, executionArn)).toEqual(before);
  });

  it("refuses to start a new execution under a decided one's name", async () => {
    const result = await run(["start", "--input", "-", "--name", "to-approve"], '{"Comment":"please approve"}');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: An execution named to-approve already exists in this state machine\.$/m);
  });

  it("rejects by ARN with the email link's payload, reaching RejectedPassState", async () => {
    const { executionArn } = waiting["to-reject"] as { executionArn: string };
    const result = await run(["reject", executionArn, "--yes"]);
    expect(result.code).toBe(0);
    const execution = await settled(sfn, executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toMatchObject({ Status: rejectedStatus });
    const events = await historyOf(sfn, executionArn);
    expect(statesEntered(events)).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "RejectedPassState"]);
    const output = events.find((e) => e.type === "TaskSucceeded")?.taskSucceededEventDetails?.output;
    expect(JSON.parse(output ?? "")).toMatchObject({ Status: rejectedStatus });
  });

  it("fails a waiting execution with the given error and cause", async () => {
    const { executionArn } = waiting["to-fail"] as { executionArn: string };
    // The cause as given (--exact-payload): the record of who decided would wrap it.
    const result = await run(["fail", "to-fail", "--error", "Cancelled", "--cause", "request withdrawn", "--exact-payload", "--yes"]);
    expect(result.code).toBe(0);
    const execution = await settled(sfn, executionArn);
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("Cancelled");
    expect(execution.cause).toBe("request withdrawn");
    const failed = (await historyOf(sfn, executionArn)).find((e) => e.type === "TaskFailed");
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: "Cancelled", cause: "request withdrawn" });

    const again = await run(["fail", "to-fail", "--error", "Cancelled", "--cause", "again", "--yes"]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/^error: Execution to-fail is not waiting: it failed with Cancelled/m);
  });

  it("decides a non-ASCII name", async () => {
    const { executionArn } = waiting["승인-대기"] as { executionArn: string };
    const result = await run(["approve", "승인-대기", "--yes"]);
    expect(result.code).toBe(0);
    expect(JSON.parse((await settled(sfn, executionArn)).output ?? "")).toMatchObject({ Status: approvedStatus });
  });

  it("no longer lists decided executions", async () => {
    const pending = JSON.parse((await run(["pending", "--json"])).stdout).map((p: { name: string }) => p.name);
    for (const name of Object.keys(waiting)) expect(pending).not.toContain(name);
  });

  it("refuses an unknown execution (exit 3) and an invalid name (exit 2)", async () => {
    const unknown = await run(["approve", "no-such-execution", "--yes"]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/^error: Execution no-such-execution does not exist\.$/m);
    const invalid = await run(["approve", "bad name", "--yes"]);
    expect(invalid.code).toBe(2);
    // `stack/execution` with a second slash: neither part may hold one.
    const slashes = await run(["approve", "stack/bad/name", "--yes"]);
    expect(slashes.code).toBe(2);
    expect(slashes.stderr).toMatch(/^error: Execution name "bad\/name" contains "\/"/m);
  });

  it("shows an approved execution, as text and as JSON, without its task token", async () => {
    const { executionArn, token } = waiting["to-approve"] as { executionArn: string; token: string };
    const text = await run(["show", "to-approve"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^to-approve\s+SUCCEEDED$/m);
    expect(text.stdout).toContain("Lambda Callback → ManualApprovalChoiceState → ApprovedPassState");
    expect(text.stdout).toContain(approvedStatus);
    expect(text.stdout).toContain('"Comment": "please approve"');
    expectNoToken(text.stdout + text.stderr, token);

    const json = await run(["show", executionArn, "--json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      name: "to-approve",
      executionArn,
      status: "SUCCEEDED",
      input: { Comment: "please approve", amount: 42 },
      output: { Status: approvedStatus },
      error: null,
      cause: null,
    });
    expectNoToken(json.stdout + json.stderr, token);
  });

  it("shows a failed execution's error and cause", async () => {
    const text = await run(["show", "to-fail"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^to-fail\s+FAILED$/m);
    expect(text.stdout).toContain("Cancelled");
    expect(text.stdout).toContain("request withdrawn");
    const report = JSON.parse((await run(["show", "to-fail", "--json"])).stdout);
    expect(report).toMatchObject({ status: "FAILED", error: "Cancelled", cause: "request withdrawn", output: null });
  });

  it("shows a waiting execution without its task token", async () => {
    const { executionArn, token } = await startWaiting("still-waiting", { Comment: "look, no token" });
    for (const args of [
      ["show", "still-waiting"],
      ["show", "still-waiting", "--json"],
      ["show", executionArn, "--debug"],
    ]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      expectNoToken(result.stdout + result.stderr, token);
    }
    const report = JSON.parse((await run(["show", "still-waiting", "--json"])).stdout);
    expect(report).toMatchObject({ status: "RUNNING", currentState: "Lambda Callback", output: null });
    expect(tokenIn(await historyOf(sfn, executionArn))).toBe(token);
  });

  it("says an unknown execution does not exist (exit 3)", async () => {
    const result = await run(["show", "no-such-execution"]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error: Execution no-such-execution does not exist\.$/m);
  });
});
