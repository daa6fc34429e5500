import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { findTaskToken, lastTaskOutcome, newestFirst, redactTokens, waitingState } from "../../src/core/executions/history.js";
import { decidedEvents, type EventSpec, events, scheduledParameters, TOKEN, waitingEvents } from "./fixtures.js";

const CALLBACK = "Lambda Callback";
const approved = "Approved! Task approved by ops@example.com";
const reversed = (list: HistoryEvent[]) => [...list].reverse();
/** The resource fields every task event carries. */
const task = { resource: "invoke.waitForTaskToken", resourceType: "lambda" };

describe("waitingState", () => {
  const waiting = events(...waitingEvents());

  it.each([
    ["oldest first", waiting],
    ["newest first", reversed(waiting)],
    ["shuffled", [waiting[3], waiting[0], waiting[4], waiting[2], waiting[1]] as HistoryEvent[]],
  ])("finds the token of a waiting execution with events %s", (_order, list) => {
    expect(waitingState(list, CALLBACK)).toEqual({
      token: TOKEN,
      stateName: CALLBACK,
      waitingSince: waiting[2]?.timestamp,
      input: '{"Comment":"hi"}',
      scheduledEventId: waiting[2]?.id,
    });
  });

  it("needs only the newest events: the tail of a reverse read", () => {
    expect(waitingState(reversed(waiting).slice(0, 4), CALLBACK)?.token).toBe(TOKEN);
  });

  it("counts a task scheduled but not yet started as waiting: its token is issued", () => {
    expect(waitingState(events(...waitingEvents().slice(0, 3)), CALLBACK)?.token).toBe(TOKEN);
  });

  it("is undefined before the task is scheduled", () => {
    expect(waitingState(events(...waitingEvents().slice(0, 2)), CALLBACK)).toBeUndefined();
    expect(waitingState([], CALLBACK)).toBeUndefined();
  });

  it("is undefined once the execution is decided, in either order", () => {
    const decided = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    expect(waitingState(decided, CALLBACK)).toBeUndefined();
    expect(waitingState(reversed(decided), CALLBACK)).toBeUndefined();
    // Decided, the Choice not yet entered: still not waiting.
    expect(waitingState(events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState").slice(0, 1)), CALLBACK)).toBeUndefined();
  });

  it("is undefined once the task failed or timed out, or the execution ended", () => {
    for (const end of [
      { type: "TaskFailed", taskFailedEventDetails: { ...task, error: "Cancelled", cause: "withdrawn" } },
      { type: "TaskTimedOut", taskTimedOutEventDetails: { ...task, error: "States.Timeout" } },
      { type: "ExecutionTimedOut", executionTimedOutEventDetails: { error: "States.Timeout" } },
      { type: "ExecutionAborted", executionAbortedEventDetails: {} },
    ] as EventSpec[]) {
      const list = events(...waitingEvents(), end);
      expect(waitingState(list, CALLBACK)).toBeUndefined();
      expect(waitingState(reversed(list), CALLBACK)).toBeUndefined();
    }
  });

  it("takes the newest attempt's token when the task was retried", () => {
    const retried = events(
      ...waitingEvents("first-token"),
      { type: "TaskFailed", taskFailedEventDetails: { ...task, error: "Lambda.ServiceException" } },
      {
        type: "TaskScheduled",
        taskScheduledEventDetails: {
          ...task,
          region: "us-east-1",
          parameters: scheduledParameters("second-token"),
        },
      },
      { type: "TaskStarted", taskStartedEventDetails: task },
      { type: "TaskSubmitted", taskSubmittedEventDetails: task },
    );
    for (const list of [retried, reversed(retried)]) {
      const state = waitingState(list, CALLBACK);
      expect(state?.token).toBe("second-token");
      expect(state?.waitingSince).toEqual(retried[6]?.timestamp);
    }
    // Failed and not yet rescheduled: not waiting.
    expect(waitingState(retried.slice(0, 6), CALLBACK)).toBeUndefined();
  });

  it("is undefined when the waiting task is another state's", () => {
    expect(waitingState(events(...waitingEvents(TOKEN, "Other Task")), CALLBACK)).toBeUndefined();
  });

  it("is undefined when the scheduled parameters carry no token", () => {
    const list = events(...waitingEvents());
    const scheduled = list[2] as HistoryEvent;
    scheduled.taskScheduledEventDetails = {
      resource: "invoke.waitForTaskToken",
      resourceType: "lambda",
      region: "us-east-1",
      parameters: '{"FunctionName":"f"}',
    };
    expect(waitingState(list, CALLBACK)).toBeUndefined();
  });
});

describe("newestFirst", () => {
  it("orders by event id, leaving the input alone", () => {
    const list = events(...waitingEvents());
    expect(newestFirst(list).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(newestFirst(reversed(list)).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect(list.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("findTaskToken", () => {
  it("reads the context object's Task.Token, as the template passes it", () => {
    expect(findTaskToken(scheduledParameters(TOKEN))).toBe(TOKEN);
  });

  it("prefers the context object's token to a look-alike in the execution input", () => {
    const params = scheduledParameters(TOKEN, "x", { Comment: "hi", Task: { Token: "not-the-token" }, TaskToken: "nor-this" });
    expect(findTaskToken(params)).toBe(TOKEN);
  });

  it.each([
    ['{"FunctionName":"f","Payload":{"TaskToken":"t1"}}', "t1"],
    ['{"QueueUrl":"q","MessageBody":{"taskToken":"t2"}}', "t2"],
    ['{"Payload":{"task_token":"t3"}}', "t3"],
  ])("reads a token passed as a field named like TaskToken: %s", (params, token) => {
    expect(findTaskToken(params)).toBe(token);
  });

  it.each([undefined, "", "not json", "null", '{"FunctionName":"f"}', '{"Task":{"Token":42}}'])(
    "is undefined without a token: %j",
    (params) => {
      expect(findTaskToken(params)).toBeUndefined();
    },
  );
});

describe("lastTaskOutcome", () => {
  it("is undefined while the task is open", () => {
    expect(lastTaskOutcome(events(...waitingEvents()))).toBeUndefined();
  });

  it("reads the Status a decision sent, in either order", () => {
    const list = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    const expected = { kind: "succeeded", status: approved, at: list[5]?.timestamp };
    expect(lastTaskOutcome(list)).toEqual(expected);
    expect(lastTaskOutcome(reversed(list))).toEqual(expected);
  });

  it("has no status when the output carries none", () => {
    const list = events(...waitingEvents(), { type: "TaskSucceeded", taskSucceededEventDetails: { ...task, output: '"plain"' } });
    expect(lastTaskOutcome(list)).toMatchObject({ kind: "succeeded", status: undefined });
    const broken = events(...waitingEvents(), { type: "TaskSucceeded", taskSucceededEventDetails: { ...task, output: "{" } });
    expect(lastTaskOutcome(broken)).toMatchObject({ kind: "succeeded", status: undefined });
  });

  it("reads a failure's error and cause", () => {
    const list = events(...waitingEvents(), {
      type: "TaskFailed",
      taskFailedEventDetails: { ...task, error: "Cancelled", cause: "request withdrawn" },
    });
    expect(lastTaskOutcome(reversed(list))).toEqual({
      kind: "failed",
      error: "Cancelled",
      cause: "request withdrawn",
      at: list[5]?.timestamp,
    });
  });

  it("reads a timeout", () => {
    const list = events(...waitingEvents(), { type: "TaskTimedOut", taskTimedOutEventDetails: { ...task, error: "States.Timeout" } });
    expect(lastTaskOutcome(list)).toEqual({ kind: "timed-out", at: list[5]?.timestamp });
  });

  it("reads the newest outcome after a retry", () => {
    const list = events(
      ...waitingEvents(),
      { type: "TaskFailed", taskFailedEventDetails: { ...task, error: "Lambda.ServiceException" } },
      {
        type: "TaskScheduled",
        taskScheduledEventDetails: { ...task, region: "us-east-1", parameters: scheduledParameters("t2") },
      },
      { type: "TaskSucceeded", taskSucceededEventDetails: { ...task, output: JSON.stringify({ Status: approved }) } },
    );
    expect(lastTaskOutcome(list)).toMatchObject({ kind: "succeeded", status: approved });
  });
});

describe("redactTokens", () => {
  it("replaces the raw and the URL-encoded token", () => {
    const encoded = encodeURIComponent(TOKEN);
    expect(encoded).not.toBe(TOKEN);
    const text = `token ${TOKEN} in a link ?taskToken=${encoded}&x=1 and again ${TOKEN}`;
    const redacted = redactTokens(text, [TOKEN]);
    expect(redacted).toBe("token [task token redacted] in a link ?taskToken=[task token redacted]&x=1 and again [task token redacted]");
    expect(redacted).not.toContain(TOKEN);
    expect(redacted).not.toContain(encoded);
  });

  it("redacts several tokens and ignores empty ones", () => {
    expect(redactTokens("a b c", ["a", "", "c"])).toBe("[task token redacted] b [task token redacted]");
    expect(redactTokens("nothing here", [])).toBe("nothing here");
    expect(redactTokens("abc", new Set([""]))).toBe("abc");
  });
});
