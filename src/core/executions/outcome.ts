import type { ExecutionStatus, HistoryEvent } from "../../aws/sfn.js";
import type { Workflow } from "../workflow/definition.js";
import { newestFirst, statusOf, waitingState } from "./history.js";

/** How an execution ended (or that it has not): the words `list` and `pending --watch` use. */
export type OutcomeKind = "approved" | "rejected" | "failed" | "timed-out" | "aborted" | "waiting" | "running" | "succeeded";

/** Every outcome `--status` accepts, in the order help lists them. */
export const OUTCOME_FILTERS = ["approved", "rejected", "failed", "timed-out", "aborted", "waiting"] as const;

/**
 * The Step Functions status that holds each filterable outcome: `list --status` asks ListExecutions
 * for it. A callback that timed out fails the execution (FAILED, States.Timeout) while the state
 * machine's own timeout ends it TIMED_OUT, so timed-out reads every status.
 */
export const STATUS_OF: Record<(typeof OUTCOME_FILTERS)[number], ExecutionStatus | undefined> = {
  approved: "SUCCEEDED",
  rejected: "SUCCEEDED",
  failed: "FAILED",
  "timed-out": undefined,
  aborted: "ABORTED",
  waiting: "RUNNING",
};

/** An execution's outcome: its kind, and for a failure the error and cause. */
export interface Outcome {
  kind: OutcomeKind;
  /** The `Status` the decision carried (`Approved! Task approved by ...`), when there was one. */
  decision?: string;
  error?: string;
  cause?: string;
}

/** What the classifier reads: the execution's status and output or error (DescribeExecution's fields). */
export interface ExecutionEnd {
  status?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** For a RUNNING execution: whether it waits at the callback state. Default true. */
  waiting?: boolean;
}

/**
 * Classify how an execution ended. SUCCEEDED is approved or rejected by the `Status` in its output:
 * the deployed definition's exact strings, else the `Approved!` / `Rejected!` prefix every version of
 * the template uses (an execution of an earlier definition names another email). A callback state
 * that ran out of time fails the execution with `States.Timeout`: that is timed out, not failed.
 */
export function classifyOutcome(end: ExecutionEnd, workflow?: Pick<Workflow, "approvedStatus" | "rejectedStatus">): Outcome {
  const failure = { error: end.error, cause: end.cause };
  switch (end.status) {
    case "RUNNING":
      return { kind: end.waiting === false ? "running" : "waiting" };
    case "SUCCEEDED": {
      const decision = statusOf(end.output);
      if (decision !== undefined && (decision === workflow?.approvedStatus || decision.startsWith("Approved!")))
        return { kind: "approved", decision };
      if (decision !== undefined && (decision === workflow?.rejectedStatus || decision.startsWith("Rejected!")))
        return { kind: "rejected", decision };
      return { kind: "succeeded", decision };
    }
    case "FAILED":
      return { kind: end.error === "States.Timeout" ? "timed-out" : "failed", ...failure };
    case "TIMED_OUT":
      return { kind: "timed-out", ...failure };
    default:
      return { kind: "aborted", ...failure };
  }
}

/** The outcome in words for a table: "Approved", "Failed: Withdrawn", "Timed out". */
export function outcomeLabel(outcome: Outcome): string {
  switch (outcome.kind) {
    case "approved":
      return "Approved";
    case "rejected":
      return "Rejected";
    case "failed":
      return outcome.error ? `Failed: ${outcome.error}` : "Failed";
    case "timed-out":
      return "Timed out";
    case "aborted":
      return "Aborted";
    case "waiting":
      return "Waiting";
    case "running":
      return "Running";
    case "succeeded":
      return "Succeeded";
  }
}

/** When an execution began waiting for its decision and when it got one, read from its history. */
export interface DecisionTimes {
  /** The newest callback TaskScheduled: when the token was issued. */
  waitingSince?: Date;
  /** The TaskSucceeded / TaskFailed / TaskTimedOut closing that task, else the execution's end. */
  decidedAt?: Date;
  /** Whether the history ends waiting at the callback state. */
  waiting: boolean;
}

const TASK_CLOSED = new Set(["TaskSucceeded", "TaskFailed", "TaskTimedOut"]);
const EXECUTION_ENDED = new Set(["ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted"]);

/** When the callback task of an execution was scheduled and when it was closed (or the execution ended). */
export function decisionTimes(events: readonly HistoryEvent[], workflow: Pick<Workflow, "callbackState">): DecisionTimes {
  const oldestFirst = newestFirst(events).reverse();
  let waitingSince: Date | undefined;
  let decidedAt: Date | undefined;
  let state: string | undefined;
  for (const event of oldestFirst) {
    const type = event.type ?? "";
    if (type.endsWith("StateEntered")) state = event.stateEnteredEventDetails?.name;
    if (type === "TaskScheduled" && state === workflow.callbackState) {
      waitingSince = event.timestamp;
      decidedAt = undefined;
    } else if (waitingSince && !decidedAt && (TASK_CLOSED.has(type) || EXECUTION_ENDED.has(type))) decidedAt = event.timestamp;
  }
  return { waitingSince, decidedAt, waiting: waitingState(events, workflow.callbackState) !== undefined };
}
