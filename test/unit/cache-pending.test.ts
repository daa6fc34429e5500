import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ExecutionListItem, type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { StepFunctions } from "../../src/aws/sfn.js";
import { findWaitingExecutions, type WaitingReport } from "../../src/core/executions/waiting.js";
import { openWaitingCache, type WaitingCache } from "../../src/core/executions/waiting-cache.js";
import { recallPolicy } from "../../src/core/executions/waiting-recall.js";
import { parseWorkflow, type Workflow } from "../../src/core/workflow/definition.js";
import {
  decidedEvents,
  events,
  STATE_MACHINE_ARN,
  scheduledParameters,
  templateDefinition,
  templateDocument,
  waitingEvents,
} from "./fixtures.js";

const PREFIX = STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:");
const START = new Date("2026-11-25T10:00:00.000Z");

/** A Step Functions "account": RUNNING executions and their histories, and every call made to it. */
function account() {
  const running: ExecutionListItem[] = [];
  const histories = new Map<string, HistoryEvent[]>();
  const calls: { operation: string; input: Record<string, unknown> }[] = [];
  // A real client (the window adds its middleware to the stack), with `send` answered here.
  const sfn = new SFNClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  sfn.send = (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    const operation = command.constructor.name.replace(/Command$/, "");
    calls.push({ operation, input: command.input });
    if (operation === "ListExecutions") return { executions: [...running] };
    if (operation === "GetExecutionHistory") {
      const all = histories.get(command.input.executionArn as string) ?? [];
      return { events: command.input.maxResults === 1 ? all.slice(-1) : all.slice(-10) };
    }
    throw new Error(`unexpected ${operation}`);
  }) as typeof sfn.send;
  return {
    sfn: new StepFunctions(sfn),
    calls,
    /** Start an execution that waits at the callback state with its own token. */
    wait(name: string, input = `{"Comment":"${name}"}`) {
      running.push({ executionArn: PREFIX + name, name, startDate: START, stateMachineArn: STATE_MACHINE_ARN, status: "RUNNING" });
      const spec = waitingEvents(`token-${name}`);
      spec[2] = {
        type: "TaskScheduled",
        taskScheduledEventDetails: {
          resource: "x",
          resourceType: "lambda",
          region: "us-east-1",
          parameters: scheduledParameters(`token-${name}`, name),
        },
      };
      spec[1] = { type: "TaskStateEntered", stateEnteredEventDetails: { name: "Lambda Callback", input } };
      histories.set(PREFIX + name, events(...spec));
    },
    /** Decide it: with `stillRunning`, it goes on running (a state after the callback). */
    decide(name: string, stillRunning = false) {
      const arn = PREFIX + name;
      const before = histories.get(arn) ?? [];
      const after = events(...before, ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState").slice(0, 3));
      histories.set(arn, after);
      if (!stillRunning)
        running.splice(
          running.findIndex((e) => e.executionArn === arn),
          1,
        );
    },
    historyReads: () =>
      calls.filter((c) => c.operation === "GetExecutionHistory").map((c) => ({ arn: c.input.executionArn, max: c.input.maxResults })),
    reset: () => {
      calls.length = 0;
    },
  };
}

/** The template's workflow, and one with a Task after the decision (RUNNING then proves nothing). */
const quick = parseWorkflow(templateDefinition());
function lingering(): Workflow {
  const doc = templateDocument();
  doc.States.ApprovedPassState = { Type: "Pass", Next: "Notify" };
  doc.States.Notify = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true };
  return parseWorkflow(JSON.stringify(doc));
}

async function list(sfn: StepFunctions, workflow: Workflow, cache: WaitingCache) {
  let report: WaitingReport | undefined;
  const found = await findWaitingExecutions(sfn, STATE_MACHINE_ARN, workflow, { cache, onReport: (r) => (report = r) });
  await cache.save();
  return { names: found.map((p) => p.name).sort(), found, report };
}

const SCOPE = { endpoint: "http://127.0.0.1:5000", region: "us-east-1", profile: "" };
const cacheIn = (directory: string) => openWaitingCache(SCOPE, STATE_MACHINE_ARN, { env: {}, directory });

describe("findWaitingExecutions with a cache", () => {
  it("reads each history once, then answers from the cache with ListExecutions alone", async () => {
    const aws = account();
    for (const name of ["a", "b", "c"]) aws.wait(name);
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));

    const cold = await list(aws.sfn, quick, await cacheIn(directory));
    expect(cold.names).toEqual(["a", "b", "c"]);
    expect(aws.historyReads()).toHaveLength(3);
    aws.reset();

    const warm = await list(aws.sfn, quick, await cacheIn(directory));
    expect(warm.found).toEqual(cold.found);
    expect(aws.calls.map((c) => c.operation)).toEqual(["ListExecutions"]);
    expect(warm.report).toMatchObject({ running: 3, remembered: 3, read: 0 });
  });

  it("reads only the executions it has not seen", async () => {
    const aws = account();
    aws.wait("a");
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    await list(aws.sfn, quick, await cacheIn(directory));
    aws.reset();
    aws.wait("new");
    const warm = await list(aws.sfn, quick, await cacheIn(directory));
    expect(warm.names).toEqual(["a", "new"]);
    expect(aws.historyReads()).toEqual([{ arn: `${PREFIX}new`, max: 10 }]);
  });

  it("drops executions no longer RUNNING, so a decided one is never shown", async () => {
    const aws = account();
    aws.wait("a");
    aws.wait("b");
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    await list(aws.sfn, quick, await cacheIn(directory));
    aws.decide("a");
    const warm = await list(aws.sfn, quick, await cacheIn(directory));
    expect(warm.names).toEqual(["b"]);
    expect(warm.report?.dropped).toBe(1);
    // Keyed by task: the execution and its TaskScheduled event's id.
    expect((await cacheIn(directory)).keys()).toEqual([`${PREFIX}b#3`]);
  });

  it("verifies each remembered execution with a one-event read when work may follow the callback", async () => {
    const aws = account();
    aws.wait("a");
    aws.wait("b");
    const workflow = lingering();
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    await list(aws.sfn, workflow, await cacheIn(directory));
    aws.reset();
    // Decided, but still RUNNING its Task after the decision.
    aws.decide("a", true);

    const warm = await list(aws.sfn, workflow, await cacheIn(directory));
    expect(warm.names).toEqual(["b"]);
    expect(warm.report).toMatchObject({ verified: 1, read: 1, dropped: 1 });
    // One newest-event read each; the changed one is then read in full and found not waiting.
    expect(aws.historyReads()).toEqual(
      expect.arrayContaining([
        { arn: `${PREFIX}a`, max: 1 },
        { arn: `${PREFIX}b`, max: 1 },
        { arn: `${PREFIX}a`, max: 10 },
      ]),
    );
    expect(aws.historyReads()).toHaveLength(3);
  });

  it.each([
    ["a Retry", { Retry: [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }] }, false],
    ["a Catch into a Task", { Catch: [{ ErrorEquals: ["States.ALL"], Next: "Notify" }] }, false],
    ["a Catch into a Pass state that ends", { Catch: [{ ErrorEquals: ["States.ALL"], Next: "ApprovedPassState" }] }, true],
  ])("trusts RUNNING alone by the definition's one rule when the callback state has %s", (_what, extra, trusted) => {
    const doc = templateDocument();
    Object.assign(doc.States["Lambda Callback"], extra);
    doc.States.Notify = { Type: "Task", Resource: "arn:aws:states:::sns:publish", End: true };
    expect(recallPolicy(quick).trustRunning).toBe(true);
    expect(recallPolicy(parseWorkflow(JSON.stringify(doc))).trustRunning).toBe(trusted);
  });

  it("verifies entries remembered under another definition, even when the new one ends right after the callback", async () => {
    const aws = account();
    aws.wait("a");
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    await list(aws.sfn, lingering(), await cacheIn(directory));
    aws.reset();
    const warm = await list(aws.sfn, quick, await cacheIn(directory));
    expect(warm.names).toEqual(["a"]);
    expect(aws.historyReads()).toEqual([{ arn: `${PREFIX}a`, max: 1 }]);
  });

  it("reads again an execution whose start date differs from the one remembered (a reused name)", async () => {
    const aws = account();
    aws.wait("a");
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    const cache = await cacheIn(directory);
    await list(aws.sfn, quick, cache);
    const entry = cache.get(`${PREFIX}a#3`);
    if (!entry) throw new Error("not remembered");
    cache.set(`${PREFIX}a#3`, { ...entry, startDate: "2026-01-01T00:00:00.000Z", token: "old-token" });
    aws.reset();
    const warm = await list(aws.sfn, quick, cache);
    expect(warm.found[0]?.token).toBe("token-a");
    expect(aws.historyReads()).toHaveLength(1);
  });

  it("an execution remembered with a task that is not the one it waits on is read again, and only its task kept", async () => {
    const aws = account();
    aws.wait("a");
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    const cache = await cacheIn(directory);
    await list(aws.sfn, quick, cache);
    const entry = cache.get(`${PREFIX}a#3`);
    if (!entry) throw new Error("not remembered");
    cache.set(`${PREFIX}a#1`, { ...entry, scheduledEventId: 1, token: "stale-token" });
    aws.reset();
    const warm = await list(aws.sfn, quick, cache);
    expect(warm.found.map((p) => p.token)).toEqual(["token-a"]);
    expect(aws.historyReads()).toHaveLength(1);
    expect(cache.keys()).toEqual([`${PREFIX}a#3`]);
  });

  it("stores the token (the file is private), but not an input too large to copy", async () => {
    const aws = account();
    aws.wait("small");
    aws.wait("large", JSON.stringify({ Comment: "x".repeat(40_000) }));
    const directory = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    const cache = await cacheIn(directory);
    await list(aws.sfn, quick, cache);
    expect(cache.keys()).toEqual([`${PREFIX}small#3`]);
    expect(readFileSync(cache.path, "utf8")).toContain("token-small");
  });

  it("without a cache, reads every history every time", async () => {
    const aws = account();
    aws.wait("a");
    await findWaitingExecutions(aws.sfn, STATE_MACHINE_ARN, quick);
    await findWaitingExecutions(aws.sfn, STATE_MACHINE_ARN, quick);
    expect(aws.historyReads()).toHaveLength(2);
  });
});
