import { describe, expect, it } from "vitest";
import { readBackDecision } from "../../src/core/executions/decided-by.js";
import { recordedCause, recordedOutput } from "../../src/core/workflow/decision-record.js";
import { decidedEvents, events, waitingEvents } from "./fixtures.js";

const workflow = { callbackState: "Lambda Callback" };
const approved = "Approved! Task approved by ops@example.com";
const record = {
  decidedBy: "arn:aws:sts::123456789012:assumed-role/Approvers/alice",
  via: "approvals CLI",
  reason: "ok",
  decisionId: "id-1",
};

/** A history decided with this TaskSucceeded output. */
function succeededWith(output: string) {
  const history = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
  const closing = history.find((e) => e.type === "TaskSucceeded");
  if (closing?.taskSucceededEventDetails) closing.taskSucceededEventDetails.output = output;
  return history;
}

describe("readBackDecision", () => {
  it("reads the record beside the Status, whatever order the events come in", () => {
    const history = succeededWith(recordedOutput(approved, record));
    const read = readBackDecision([...history].reverse(), workflow);
    expect(read).toMatchObject({ kind: "succeeded", status: approved, ...record, namedEmail: null });
    expect(read?.decidedAt).toMatch(/^\d{4}-.*Z$/);
  });

  it("a decision without a record says only what its payload names", () => {
    const read = readBackDecision(events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState")), workflow);
    expect(read).toMatchObject({
      decidedBy: null,
      via: null,
      reason: null,
      decisionId: null,
      status: approved,
      namedEmail: "ops@example.com",
    });
  });

  it("fail: the operator's cause unwrapped, with its record; a cause without one as it is", () => {
    const failed = (cause: string) =>
      events(...waitingEvents(), {
        type: "TaskFailed",
        taskFailedEventDetails: { resource: "r", resourceType: "lambda", error: "Withdrawn", cause },
      });
    const { reason: _none, ...who } = record;
    expect(readBackDecision(failed(recordedCause("asked to stop", who)), workflow)).toMatchObject({
      kind: "failed",
      error: "Withdrawn",
      cause: "asked to stop",
      decidedBy: record.decidedBy,
      reason: null,
    });
    expect(readBackDecision(failed("plain words"), workflow)).toMatchObject({ cause: "plain words", decidedBy: null });
  });

  it("nothing while the task is open or after it timed out", () => {
    expect(readBackDecision(events(...waitingEvents()), workflow)).toBeUndefined();
    const timedOut = events(...waitingEvents(), {
      type: "TaskTimedOut",
      taskTimedOutEventDetails: { resource: "r", resourceType: "lambda" },
    });
    expect(readBackDecision(timedOut, workflow)).toBeUndefined();
  });

  it("a record whose fields are not strings is no record", () => {
    const read = readBackDecision(succeededWith(JSON.stringify({ Status: approved, DecidedBy: 7, DecisionId: ["x"] })), workflow);
    expect(read).toMatchObject({ decidedBy: null, decisionId: null, namedEmail: "ops@example.com" });
  });
});
