import { describe, expect, it } from "vitest";
import { recordedDecision, whoseDecision } from "../../src/core/executions/lost-reply.js";
import { decidedEvents, events, TOKEN, waitingEvents } from "./fixtures.js";

const approved = "Approved! Task approved by ops@example.com";
const approvedOutput = JSON.stringify({ Status: approved });

describe("recordedDecision", () => {
  it("is undefined while the task issued with the token is open", () => {
    expect(recordedDecision(events(...waitingEvents()), TOKEN)).toBeUndefined();
  });

  it("reads the output that closed the task, whatever order the events come in", () => {
    const history = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    expect(recordedDecision(history, TOKEN)).toEqual({ kind: "succeeded", output: approvedOutput });
    expect(recordedDecision([...history].reverse(), TOKEN)).toEqual({ kind: "succeeded", output: approvedOutput });
  });

  it("reads a failure's error and cause, and a timeout", () => {
    const failed = events(...waitingEvents(), {
      type: "TaskFailed",
      taskFailedEventDetails: { resource: "invoke.waitForTaskToken", resourceType: "lambda", error: "Cancelled", cause: "withdrawn" },
    });
    expect(recordedDecision(failed, TOKEN)).toEqual({ kind: "failed", error: "Cancelled", cause: "withdrawn" });
    expect(recordedDecision(events(...waitingEvents(), { type: "TaskTimedOut" }), TOKEN)).toEqual({ kind: "timed-out" });
  });

  it("knows nothing of a task issued with another token", () => {
    const history = events(...waitingEvents("another-token"), ...decidedEvents(approved, "ApprovedPassState"));
    expect(recordedDecision(history, TOKEN)).toBeUndefined();
  });
});

describe("whoseDecision", () => {
  const sent = { kind: "succeeded", output: approvedOutput } as const;

  it("is ours only when the recorded decision is byte for byte what was sent", () => {
    expect(whoseDecision({ kind: "succeeded", output: approvedOutput }, sent)).toBe("ours");
    // The same JSON spelt differently is not what this command sent.
    expect(whoseDecision({ kind: "succeeded", output: JSON.stringify({ Status: approved }, null, 1) }, sent)).toBe("theirs");
    expect(whoseDecision({ kind: "succeeded", output: '{"Status":"Rejected! Task rejected by ops@example.com"}' }, sent)).toBe("theirs");
  });

  it("compares a failure's error and cause", () => {
    const failure = { kind: "failed", error: "Cancelled", cause: "withdrawn" } as const;
    expect(whoseDecision(failure, failure)).toBe("ours");
    expect(whoseDecision({ ...failure, cause: "other" }, failure)).toBe("theirs");
    expect(whoseDecision({ kind: "succeeded", output: approvedOutput }, failure)).toBe("theirs");
    expect(whoseDecision({ kind: "timed-out" }, sent)).toBe("theirs");
  });

  it("is none when nothing closed the task", () => {
    expect(whoseDecision(undefined, sent)).toBe("none");
  });
});
