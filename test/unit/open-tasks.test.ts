// Which callback tasks wait, from a history as Step Functions links it: each task's events point back
// to its TaskScheduled by previousEventId, whatever other branch's events come between.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { closingEvent, openTasks } from "../../src/core/machine/open-tasks.js";
import { definitionDocument } from "../../src/core/workflow/callbacks.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";

const at = new Date("2026-12-01T10:00:00Z");
const e = (id: number, previousEventId: number, type: string, extra: Record<string, unknown> = {}): HistoryEvent => ({
  id,
  previousEventId,
  type: type as HistoryEvent["type"],
  timestamp: new Date(at.getTime() + id * 1000),
  ...extra,
});
const entered = (id: number, prev: number, name: string) =>
  e(id, prev, "TaskStateEntered", { stateEnteredEventDetails: { name, input: `{"for":"${name}"}` } });
const scheduled = (id: number, prev: number, token: string, timeoutInSeconds?: number) =>
  e(id, prev, "TaskScheduled", {
    taskScheduledEventDetails: {
      resourceType: "sqs",
      resource: "sendMessage.waitForTaskToken",
      region: "us-east-1",
      parameters: JSON.stringify({ QueueUrl: "q", MessageBody: { token, input: {} } }),
      timeoutInSeconds,
    },
  });

const parallel = definitionDocument(fixtureDefinition("parallel-two-approvers"));
/** Both branches of the Parallel scheduled, their events interleaved, as the emulator records them. */
const both: HistoryEvent[] = [
  e(1, 0, "ExecutionStarted"),
  e(2, 1, "ParallelStateEntered"),
  e(3, 2, "ParallelStateStarted"),
  entered(4, 3, "Finance"),
  entered(5, 3, "Legal"),
  scheduled(6, 5, "legal-token"),
  e(7, 6, "TaskStarted"),
  scheduled(8, 4, "finance-token", 3600),
  e(9, 8, "TaskStarted"),
  e(10, 9, "TaskSubmitted"),
  e(11, 7, "TaskSubmitted"),
];

describe("openTasks", () => {
  it("finds both tasks of a Parallel, each with its own token and timeout, in the definition's order", () => {
    const open = openTasks(both, parallel);
    expect(open.map((t) => [t.state, t.token, t.timeoutSeconds, t.scheduledEventId])).toEqual([
      ["Finance", "finance-token", 3600, 8],
      ["Legal", "legal-token", undefined, 6],
    ]);
    expect(open[0]?.task.path).toEqual(["Approvals", 0, "Finance"]);
    expect(open[0]?.input).toBe('{"for":"Finance"}');
    expect(open[0]?.waitingSince).toEqual(new Date(at.getTime() + 8000));
  });

  it("a task answered is closed by the event that links back to it, whatever the order the history comes in", () => {
    const answered = [...both, e(12, 10, "TaskSucceeded", { taskSucceededEventDetails: { output: "{}" } })];
    for (const history of [answered, [...answered].reverse()]) {
      expect(openTasks(history, parallel).map((t) => t.state)).toEqual(["Legal"]);
      expect(closingEvent(history, 8)?.id).toBe(12);
      expect(closingEvent(history, 6)).toBeUndefined();
    }
    // The same answer linked to the other branch closes that one instead.
    const other = [...both, e(12, 11, "TaskSucceeded")];
    expect(openTasks(other, parallel).map((t) => t.state)).toEqual(["Finance"]);
  });

  it.each(["TaskFailed", "TaskTimedOut", "TaskAborted", "TaskStateAborted"])("%s closes a task too", (type) => {
    expect(openTasks([...both, e(12, 9, type)], parallel).map((t) => t.state)).toEqual(["Legal"]);
  });

  it("an answer linked straight to the TaskScheduled (no Started or Submitted in between) closes it", () => {
    const short = both.filter((x) => x.id !== 9 && x.id !== 10);
    expect(openTasks([...short, e(12, 8, "TaskSucceeded")], parallel).map((t) => t.state)).toEqual(["Legal"]);
  });

  it("Map iterations: each task has its iteration's index", () => {
    const map = definitionDocument(fixtureDefinition("map-per-item"));
    const events = [
      e(1, 0, "ExecutionStarted"),
      e(2, 1, "MapStateEntered"),
      e(3, 2, "MapStateStarted"),
      e(4, 3, "MapIterationStarted", { mapIterationStartedEventDetails: { name: "PerItem", index: 0 } }),
      e(5, 3, "MapIterationStarted", { mapIterationStartedEventDetails: { name: "PerItem", index: 1 } }),
      entered(6, 5, "AskItem"),
      entered(7, 4, "AskItem"),
      scheduled(8, 6, "item-1"),
      scheduled(9, 7, "item-0"),
    ];
    expect(openTasks(events, map).map((t) => [t.state, t.mapIndex, t.token])).toEqual([
      ["AskItem", 0, "item-0"],
      ["AskItem", 1, "item-1"],
    ]);
  });

  it("a TaskScheduled of a state that is not a callback task, or whose state entry is missing, is no waiting task", () => {
    const events = [e(1, 0, "ExecutionStarted"), entered(2, 1, "NotACallback"), scheduled(3, 2, "t"), scheduled(4, 99, "u")];
    expect(openTasks(events, parallel)).toEqual([]);
  });

  it("the token is read where the task's own template puts it, not from a look-alike field", () => {
    const decoy = JSON.stringify({ QueueUrl: "q", MessageBody: { input: { TaskToken: "decoy" }, token: "real" } });
    const events = [...both.slice(0, 7), e(8, 4, "TaskScheduled", { taskScheduledEventDetails: { parameters: decoy } })];
    expect(openTasks(events, parallel).find((t) => t.state === "Finance")?.token).toBe("real");
  });
});
