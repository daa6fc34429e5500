// Replies lost on the way back (the fault proxy forwards the call, the emulator acts on it, the CLI
// gets HTTP 500 or a cut connection): the CLI reads what happened before it reports anything.
import { DescribeChangeSetCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { changeSetsOf, deployStack, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("lost");
const email = "ops@example.com";
const APPROVED = `{"Status":"Approved! Task approved by ${email}"}`;
const REJECTED = `{"Status":"Rejected! Task rejected by ${email}"}`;
let proxy: EmulatorProxy;
let direct: Record<string, string | undefined>;

beforeAll(async () => {
  direct = await deployStack(stack, email);
});

afterEach(async () => {
  await proxy?.stop();
});

/** Run the CLI through the proxy; AWS_MAX_ATTEMPTS keeps a call whose every reply is lost short. */
const viaProxy = (args: string[], options: { input?: string; attempts?: number } = {}) =>
  runCli([...args, "--stack-name", stack], {
    env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: String(options.attempts ?? 3) },
    input: options.input ?? "{}",
  });

async function start(name: string): Promise<string> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], { env: direct, input: "{}" });
  expect(started.code, started.stderr).toBe(0);
  return JSON.parse(started.stdout).executionArn;
}

const received = (operation: string) => proxy.received.filter((r) => r.operation === operation);

describe("a decision whose reply is lost", () => {
  it.each(["500", "drop"] as const)("is reported as this command's decision (reply answered %s)", async (answer) => {
    const executionArn = await start(`lost-approve-${answer}`);
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "SendTaskSuccess", answer }] });

    const result = await viaProxy(["approve", `lost-approve-${answer}`, "--yes", "--json"]);

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ name: `lost-approve-${answer}`, decision: "approve", sent: true, replyLost: true }),
    ]);
    // What reached the emulator: the first send (its reply lost), then the SDK's retry, refused.
    expect(received("SendTaskSuccess").map((r) => r.lost ?? r.status)).toEqual([answer, 400]);
    await settled(sdk().sfn, executionArn);
    const succeeded = (await historyOf(sdk().sfn, executionArn)).filter((e) => e.type === "TaskSucceeded");
    const [recorded] = succeeded.map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? "null"));
    expect(succeeded).toHaveLength(1);
    expect(recorded).toMatchObject(JSON.parse(APPROVED));
    expect(recorded.DecisionId).toBe(JSON.parse(result.stdout)[0].decisionId);
  });

  it("says so in words, and for fail compares the error and cause too", async () => {
    await start("lost-fail");
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "SendTaskFailure" }] });

    const result = await viaProxy(["fail", "lost-fail", "--error", "Cancelled", "--cause", "withdrawn ü", "--yes"]);

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("✔ Failed lost-fail (its reply was lost, but Step Functions recorded this decision)\n");
    expect(received("SendTaskFailure")).toHaveLength(2);
  });

  it("is someone else's when the history holds another decision (exit 3, saying what they decided)", async () => {
    const executionArn = await start("lost-theirs");
    const token = await waitForToken(sdk().sfn, executionArn);
    // The CLI's approval never arrives; meanwhile the email's Reject link is clicked.
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });
    const approving = viaProxy(["approve", "lost-theirs", "--yes", "--cli-read-timeout", "2"]);
    await eventually(() => proxy?.stats.swallowed.SendTaskSuccess, {
      deadline: 30_000,
      interval: 50,
      what: "the proxy to swallow SendTaskSuccess",
    });
    await sdk().sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: REJECTED }));
    const result = await approving;

    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^error: Execution lost-theirs was decided by someone else first: it was already decided \("Rejected! Task rejected by ops@example.com"\)/m,
    );
    expect(received("SendTaskSuccess")).toEqual([]);
  });

  it("was not taken when the history holds none (exit 1, the execution still waits)", async () => {
    const executionArn = await start("lost-none");
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });

    const result = await viaProxy(["approve", "lost-none", "--yes", "--json", "--cli-read-timeout", "1"]);

    expect(result.code).toBe(1);
    const [outcome] = JSON.parse(result.stdout);
    expect(outcome).toEqual(expect.objectContaining({ name: "lost-none", sent: false }));
    expect(outcome.error).toMatch(
      /^Sending the decision for lost-none failed: no answer from http:\/\/127\.0\.0\.1:\d+ within 1 s \(--cli-read-timeout\), 2 attempts\. Step Functions has not recorded it: the decision was not taken, and lost-none still waits/,
    );
    expect(received("SendTaskSuccess")).toEqual([]);
    expect((await sdk().sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
  });
  it("may have landed when the history cannot be read either: --json says so in a field of its own", async () => {
    const executionArn = await start("lost-unknown");
    proxy = await startProxy({ target: endpoint() });
    // pending remembers the token, so approve sends it without reading the history first.
    const listed = await viaProxy(["pending", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    proxy.configure({
      lostReplies: [{ operation: "SendTaskSuccess", answer: "500", times: Infinity }],
      blackHole: { operations: ["GetExecutionHistory"] },
    });

    const result = await viaProxy(["approve", "lost-unknown", "--yes", "--json", "--cli-read-timeout", "1"], { attempts: 1 });

    expect(result.code).toBe(1);
    const [outcome] = JSON.parse(result.stdout);
    expect(outcome).toEqual(expect.objectContaining({ name: "lost-unknown", sent: false, mayHaveLanded: true }));
    expect(outcome.error).toMatch(/It may have reached Step Functions all the same, and its history could not be read to tell/);
    // It did land: the emulator took the send whose reply was lost.
    expect(received("SendTaskSuccess").map((r) => r.lost ?? r.status)).toEqual(["500"]);
    await settled(sdk().sfn, executionArn);
    expect((await historyOf(sdk().sfn, executionArn)).filter((e) => e.type === "TaskSucceeded")).toHaveLength(1);
  });
});

describe("start and deploy whose reply is lost", () => {
  it("start: says the execution exists when every StartExecution reply was lost", async () => {
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "StartExecution", times: Infinity, answer: "drop" }] });

    const result = await viaProxy(["start", "--input", "-", "--name", "lost-start", "--json"], { input: '{"Comment": "x"}', attempts: 2 });

    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(expect.objectContaining({ name: "lost-start", replyLost: true }));
    expect(received("StartExecution").every((r) => r.lost === "drop")).toBe(true);
    const { executionArn } = JSON.parse(result.stdout);
    expect((await sdk().sfn.send(new DescribeExecutionCommand({ executionArn }))).input).toBe('{"Comment": "x"}');
  });

  it("start: says the execution was not started when none exists by its name", async () => {
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["StartExecution"] } });

    const result = await viaProxy(["start", "--input", "-", "--name", "never-started", "--cli-read-timeout", "1"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: Starting the execution failed: no answer from .* No execution named never-started exists: it was not started\.$/m,
    );
    expect(received("StartExecution")).toEqual([]);
  });

  it("deploy: watches on when the change set was taken although every ExecuteChangeSet reply was lost", async () => {
    const name = `${stack}-deploy`;
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "ExecuteChangeSet", times: Infinity }] });

    const result = await runCli(["deploy", "--email", email, "--yes", "--stack-name", name], {
      env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: "2" },
    });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/The reply to ExecuteChangeSet was lost, but CloudFormation took the change set \(EXECUTE_\w+\)\./);
    expect(received("ExecuteChangeSet").every((r) => r.lost === "500")).toBe(true);
    const { cfn } = sdk();
    expect((await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
    const [changeSet] = await changeSetsOf(cfn, name);
    const described = await cfn.send(new DescribeChangeSetCommand({ StackName: name, ChangeSetName: changeSet?.ChangeSetName }));
    expect(described.ExecutionStatus).toBe("EXECUTE_COMPLETE");
  });
});
