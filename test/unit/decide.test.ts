import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { StepFunctions } from "../../src/aws/sfn.js";
import { checkWaiting } from "../../src/core/executions/check-waiting.js";
import { type DecisionTarget, sendVerdict } from "../../src/core/executions/decide.js";
import { executionReport } from "../../src/core/executions/execution-report.js";
import { followExecution } from "../../src/core/executions/follow.js";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import { AwsError, NotFoundError } from "../../src/errors.js";
import {
  type Answer,
  decidedEvents,
  events,
  fakeClient,
  fakeSfn,
  STATE_MACHINE_ARN,
  TOKEN,
  templateDefinition,
  testContext,
  waitingEvents,
} from "./fixtures.js";

const workflow = parseWorkflow(templateDefinition());
/** The default stack and no AWS flags, as a run without them has. */
const SCOPE = { stackName: "human-approval", aws: {} };
const ARN = `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:ApprovalTest`;
const START = new Date("2026-11-25T10:00:00.000Z");
const approved = "Approved! Task approved by ops@example.com";
const target: DecisionTarget = {
  arn: ARN,
  token: TOKEN,
  workflow,
  verdict: { kind: "approve", output: JSON.stringify({ Status: approved }) },
};

const running = (extra: Partial<DescribeExecutionCommandOutput> = {}): DescribeExecutionCommandOutput =>
  ({
    executionArn: ARN,
    name: "ApprovalTest",
    status: "RUNNING",
    startDate: START,
    $metadata: {},
    ...extra,
  }) as DescribeExecutionCommandOutput;
const fail =
  (name: string, status = 400): Answer =>
  () => {
    throw Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status, requestId: "req-7" } });
  };

describe("sendVerdict", () => {
  it("sends SendTaskSuccess for approve, SendTaskFailure for fail", async () => {
    const sfn = fakeClient({ SendTaskSuccess: () => ({}), SendTaskFailure: () => ({}) });
    const ctx = testContext({ sfn: sfn.client });
    await sendVerdict(ctx, target);
    await sendVerdict(ctx, { ...target, verdict: { kind: "fail", error: "Withdrawn", cause: "stop" } });
    expect(sfn.sent).toEqual([
      { command: "SendTaskSuccess", input: { taskToken: TOKEN, output: JSON.stringify({ Status: approved }) } },
      { command: "SendTaskFailure", input: { taskToken: TOKEN, error: "Withdrawn", cause: "stop" } },
    ]);
  });

  it("says who decided first when the token was used meanwhile, reading again on the injected clock", async () => {
    const sleeps: number[] = [];
    const sfn = fakeClient({
      SendTaskSuccess: fail("TaskTimedOut"),
      DescribeExecution: [() => running(), () => running({ status: "SUCCEEDED", stopDate: new Date("2026-11-25T10:01:00.000Z") })],
      GetExecutionHistory: [
        () => ({ events: events(...waitingEvents()).reverse() }),
        () => ({ events: events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState")).reverse() }),
      ],
    });
    const ctx = testContext({ sfn: sfn.client, sleep: async (ms) => void sleeps.push(ms) });
    const error = await sendVerdict(ctx, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      `Execution ApprovalTest was decided by someone else first: it was already decided ("${approved}") and ended SUCCEEDED at 2026-11-25T10:01:00.000Z.`,
    );
    expect(sleeps).toEqual([200]);
  });

  it("gives up after five reads and says the task timed out", async () => {
    const sfn = fakeClient({
      SendTaskSuccess: fail("TaskTimedOut"),
      DescribeExecution: () => running(),
      GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
    });
    const sleeps: number[] = [];
    const error = await sendVerdict(testContext({ sfn: sfn.client, sleep: async (ms) => void sleeps.push(ms) }), target).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("Execution ApprovalTest's task timed out before the decision arrived.");
    expect(sleeps).toHaveLength(5);
  });

  it("keeps a refusal as the AWS error it is (code, request id)", async () => {
    const sfn = fakeClient({ SendTaskSuccess: fail("ValidationException") });
    const error = await sendVerdict(testContext({ sfn: sfn.client }), target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({ code: "ValidationException", requestId: "req-7" });
    expect((error as Error).message).not.toMatch(/may have reached/);
  });

  it("warns that a decision without an answer may have landed when the history cannot be read either", async () => {
    const sfn = fakeClient({ SendTaskSuccess: fail("InternalFailure", 500) });
    const error = await sendVerdict(testContext({ sfn: sfn.client }), target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as Error).message).toMatch(
      /It may have reached Step Functions all the same, and its history could not be read to tell: run `approvals show ApprovalTest`/,
    );
  });

  it("after a lost answer, takes a decision byte-identical to its own in the history as its own", async () => {
    const sfn = fakeClient({
      SendTaskSuccess: fail("InternalFailure", 500),
      GetExecutionHistory: () => ({ events: events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState")) }),
    });
    expect(await sendVerdict(testContext({ sfn: sfn.client }), target)).toEqual({ replyLost: true });
  });

  it("after a lost answer, says nothing was taken when the task is still open, read after read", async () => {
    let reads = 0;
    const sfn = fakeClient({
      SendTaskSuccess: fail("InternalFailure", 500),
      GetExecutionHistory: () => {
        reads++;
        return { events: events(...waitingEvents()) };
      },
    });
    const sleeps: number[] = [];
    const ctx = testContext({ sfn: sfn.client, sleep: async (ms) => void sleeps.push(ms) });
    const error = await sendVerdict(ctx, target).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /Step Functions has not recorded it: the decision was not taken, and ApprovalTest still waits/,
    );
    expect(reads).toBe(4);
    expect(sleeps).toEqual([250, 250, 250]);
  });

  it("after a lost answer, takes its decision as its own when it reaches the history a moment later", async () => {
    let reads = 0;
    const sfn = fakeClient({
      SendTaskSuccess: fail("InternalFailure", 500),
      GetExecutionHistory: () =>
        ++reads < 3
          ? { events: events(...waitingEvents()) }
          : { events: events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState")) },
    });
    const ctx = testContext({ sfn: sfn.client, sleep: async () => {} });
    expect(await sendVerdict(ctx, target)).toEqual({ replyLost: true });
    expect(reads).toBe(3);
  });

  it("a refused retry after a lost answer is not someone else's decision when the history holds this one", async () => {
    // The first attempt landed, its answer was lost; the SDK's retry was refused: TaskTimedOut after 2 attempts.
    const retried: Answer = () => {
      throw Object.assign(new Error("Task Timed Out"), { name: "TaskTimedOut", $metadata: { httpStatusCode: 400, attempts: 2 } });
    };
    const sfn = fakeClient({
      SendTaskSuccess: retried,
      GetExecutionHistory: () => ({ events: events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState")) }),
    });
    expect(await sendVerdict(testContext({ sfn: sfn.client }), target)).toEqual({ replyLost: true });
  });
});

describe("checkWaiting", () => {
  it("finds the token of an execution waiting at the callback state", async () => {
    const sfn = fakeClient({
      DescribeExecution: () => running(),
      GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
    });
    const inspected = await checkWaiting(new StepFunctions(sfn.client as never), ARN, workflow, SCOPE);
    expect(inspected.waiting?.token).toBe(TOKEN);
    expect(inspected.notWaitingReason).toBeUndefined();
  });

  it("says why an execution does not wait: ended, just decided, or elsewhere", async () => {
    const ended = fakeClient({
      DescribeExecution: () => running({ status: "FAILED", error: "Withdrawn", stopDate: START }),
      GetExecutionHistory: () => ({ events: [] }),
    });
    expect((await checkWaiting(new StepFunctions(ended.client as never), ARN, workflow, SCOPE)).notWaitingReason).toBe(
      "Execution ApprovalTest is not waiting: it failed with Withdrawn at 2026-11-25T10:00:00.000Z.",
    );
    const deciding = fakeClient({
      DescribeExecution: () => running(),
      GetExecutionHistory: () => ({
        events: events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState").slice(0, 2)).reverse(),
      }),
    });
    expect((await checkWaiting(new StepFunctions(deciding.client as never), ARN, workflow, SCOPE)).notWaitingReason).toBe(
      `Execution ApprovalTest is not waiting: it was already decided ("${approved}") and it is finishing.`,
    );
    const elsewhere = fakeClient({
      DescribeExecution: () => running(),
      GetExecutionHistory: () => ({ events: events({ type: "ExecutionStarted" }) }),
    });
    expect((await checkWaiting(new StepFunctions(elsewhere.client as never), ARN, workflow, SCOPE)).notWaitingReason).toBe(
      'Execution ApprovalTest is running but not waiting at "Lambda Callback".',
    );
  });

  it("reports an execution that does not exist as not found, keeping the cause", async () => {
    const sfn = fakeClient({ DescribeExecution: fail("ExecutionDoesNotExist") });
    const error = await checkWaiting(new StepFunctions(sfn.client as never), ARN, workflow, SCOPE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).cause).toMatchObject({ name: "ExecutionDoesNotExist" });
  });
});

describe("followExecution", () => {
  it("polls until the execution ends, then names the branch it took", async () => {
    const done = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    const sfn = fakeSfn({
      DescribeExecution: [() => running(), () => running({ status: "SUCCEEDED", stopDate: new Date("2026-11-25T10:00:09.000Z") })],
      GetExecutionHistory: () => ({ events: done }),
    });
    const sleeps: number[] = [];
    const result = await followExecution(
      testContext({ sfn: sfn.client, pollMs: 2000, sleep: async (ms) => void sleeps.push(ms) }),
      ARN,
      workflow,
      60_000,
    );
    expect(result).toMatchObject({ status: "SUCCEEDED", finished: true, branch: "ApprovedPassState", lastState: "ApprovedPassState" });
    expect(sleeps).toEqual([100]);
  });

  it("stops at the deadline on the injected clock, saying where the execution still is", async () => {
    let now = START.getTime();
    const sfn = fakeSfn({ DescribeExecution: () => running(), GetExecutionHistory: () => ({ events: events(...waitingEvents()) }) });
    const ctx = testContext({
      sfn: sfn.client,
      pollMs: 1000,
      now: () => new Date(now),
      sleep: async (ms) => {
        now += ms;
      },
    });
    const result = await followExecution(ctx, ARN, workflow, 3000);
    expect(result).toMatchObject({ status: "RUNNING", finished: false, branch: null, lastState: "Lambda Callback" });
    expect(now - START.getTime()).toBeLessThanOrEqual(3000);
  });

  it("rethrows the abort reason on Ctrl-C, and wraps other failures", async () => {
    const controller = new AbortController();
    controller.abort(new Error("Interrupted."));
    const sfn = fakeSfn({ DescribeExecution: () => running() });
    await expect(followExecution(testContext({ sfn: sfn.client, signal: controller.signal }), ARN, workflow, 1000)).rejects.toThrow(
      "Interrupted.",
    );
    const broken = fakeSfn({ DescribeExecution: fail("InternalFailure", 500) });
    await expect(followExecution(testContext({ sfn: broken.client }), ARN, workflow, 1000)).rejects.toThrow(
      /^Following execution ApprovalTest failed: InternalFailure/,
    );
  });
});

describe("executionReport", () => {
  it("marks the deployed graph with the path, the branch and the current state, without tokens", () => {
    const history = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    const report = executionReport(running({ status: "SUCCEEDED", input: '{"Comment":"hi"}', output: "not json" }), history, workflow);
    expect(report).toMatchObject({
      status: "SUCCEEDED",
      branch: "ApprovedPassState",
      currentState: null,
      input: { Comment: "hi" },
      output: "not json",
    });
    expect(report.path).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"]);
    const marks = Object.fromEntries(report.graph?.states.map((s) => [s.name, s.mark]) ?? []);
    expect(marks).toEqual({
      "Lambda Callback": "visited",
      ManualApprovalChoiceState: "visited",
      ApprovedPassState: "visited",
      RejectedPassState: "not-visited",
    });
    const choice = report.graph?.states.find((s) => s.name === "ManualApprovalChoiceState");
    expect(choice?.transitions.map((t) => [t.next, t.taken])).toEqual([
      ["ApprovedPassState", true],
      ["RejectedPassState", false],
    ]);
    expect(JSON.stringify(report.timeline)).not.toContain(TOKEN);
  });

  it("without a workflow has no graph and no branch; a waiting execution is in the callback state", () => {
    const report = executionReport(running(), events(...waitingEvents()));
    expect(report).toMatchObject({ graph: null, branch: null, currentState: "Lambda Callback", output: null, error: null });
  });
});
