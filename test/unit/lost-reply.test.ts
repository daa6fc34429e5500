import { describe, expect, it } from "vitest";
import { recordedDecision, whoseDecision } from "../../src/core/executions/lost-reply.js";
import { recordedCause, recordedOutput } from "../../src/core/workflow/decision-record.js";
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

  it("without a DecisionId, is ours only when the recorded decision is byte for byte what was sent", () => {
    expect(whoseDecision({ kind: "succeeded", output: approvedOutput }, sent)).toBe("ours");
    // The same JSON spelt differently may be this command's or another's with the same payload: said so.
    expect(whoseDecision({ kind: "succeeded", output: JSON.stringify({ Status: approved }, null, 1) }, sent)).toBe("same");
    expect(whoseDecision({ kind: "succeeded", output: '{"Status":"Rejected! Task rejected by ops@example.com"}' }, sent)).toBe("theirs");
  });

  it("with a DecisionId, is ours when the recorded decision carries it, whatever its spacing", () => {
    const record = { decidedBy: "arn:aws:iam::123456789012:user/alice", via: "approvals CLI", decisionId: "id-1" };
    const ours = { kind: "succeeded", output: recordedOutput(approved, record) } as const;
    const respaced = JSON.stringify(JSON.parse(ours.output), null, 1);
    expect(whoseDecision({ kind: "succeeded", output: respaced }, ours)).toBe("ours");
    // The same words with another id: someone else's decision.
    const theirs = recordedOutput(approved, { ...record, decisionId: "id-2" });
    expect(whoseDecision({ kind: "succeeded", output: theirs }, ours)).toBe("theirs");
    expect(whoseDecision({ kind: "succeeded", output: approvedOutput }, ours)).toBe("theirs");
    const failed = { kind: "failed", error: "Cancelled", cause: recordedCause("withdrawn", record) } as const;
    expect(whoseDecision({ ...failed, cause: JSON.stringify(JSON.parse(failed.cause), null, 2) }, failed)).toBe("ours");
    expect(whoseDecision({ ...failed, error: "Other" }, failed)).toBe("theirs");
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
