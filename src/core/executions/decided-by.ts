import type { HistoryEvent } from "../../aws/sfn.js";
import { readCause, readOutput } from "../workflow/decision-record.js";
import type { Workflow } from "../workflow/definition.js";
import { newestFirst } from "./history.js";

/**
 * Who decided an execution, as the decision recorded it (`DecidedBy`, `Via`, `Reason`, `DecisionId`),
 * each null when absent: a decision made before records, or by another tool, carries none. None of
 * it is proof: it is what the sender wrote (docs/security.md, "Who decided").
 */
export interface DecisionRecordView {
  decidedBy: string | null;
  via: string | null;
  reason: string | null;
  decisionId: string | null;
}

/** The decision of an execution's callback task as `show` reads it back. */
export interface ReadBackDecision extends DecisionRecordView {
  /** How the task closed: a decision sent with SendTaskSuccess or SendTaskFailure. */
  kind: "succeeded" | "failed";
  /** The `Status` it carried (approve/reject), when it has one. */
  status: string | null;
  /** fail: the error and the operator's cause (unwrapped from the record when there is one). */
  error: string | null;
  cause: string | null;
  /** For a decision without a record: the email its Status names ("Approved! Task approved by <email>"). */
  namedEmail: string | null;
  /** When Step Functions recorded it. */
  decidedAt: string | null;
}

/** No record: every field null. */
export const NO_RECORD: DecisionRecordView = { decidedBy: null, via: null, reason: null, decisionId: null };

/**
 * The decision that closed the callback task the execution last waited at, read from its history
 * (any order); undefined when the task is open, timed out, or the execution never got there.
 */
export function readBackDecision(events: readonly HistoryEvent[], workflow: Pick<Workflow, "callbackState">): ReadBackDecision | undefined {
  const oldestFirst = newestFirst(events).reverse();
  let state: string | undefined;
  let closed: HistoryEvent | undefined;
  let open = false;
  for (const event of oldestFirst) {
    const type = event.type ?? "";
    if (type.endsWith("StateEntered")) state = event.stateEnteredEventDetails?.name;
    if (type === "TaskScheduled" && state === workflow.callbackState) {
      open = true;
      closed = undefined;
    } else if (open && (type === "TaskSucceeded" || type === "TaskFailed" || type === "TaskTimedOut")) {
      open = false;
      closed = event;
    }
  }
  if (closed?.type === "TaskSucceeded") {
    const read = readOutput(closed.taskSucceededEventDetails?.output);
    return {
      kind: "succeeded",
      ...recordView(read.record),
      status: read.status ?? null,
      error: null,
      cause: null,
      namedEmail: read.record ? null : emailIn(read.status),
      decidedAt: closed.timestamp?.toISOString() ?? null,
    };
  }
  if (closed?.type === "TaskFailed") {
    const details = closed.taskFailedEventDetails;
    const read = readCause(details?.cause);
    return {
      kind: "failed",
      ...recordView(read.record),
      status: null,
      error: details?.error ?? null,
      cause: read.cause ?? null,
      namedEmail: null,
      decidedAt: closed.timestamp?.toISOString() ?? null,
    };
  }
  return undefined;
}

/** The record's fields, null where absent. */
export function recordView(record: Partial<Record<keyof DecisionRecordView, string>> | undefined): DecisionRecordView {
  return {
    decidedBy: record?.decidedBy ?? null,
    via: record?.via ?? null,
    reason: record?.reason ?? null,
    decisionId: record?.decisionId ?? null,
  };
}

/** The email the template's Status names: "Approved! Task approved by ops@example.com" → ops@example.com. */
function emailIn(status: string | undefined): string | null {
  const match = status && / by (\S+@\S+)$/.exec(status);
  return match ? (match[1] ?? null) : null;
}
