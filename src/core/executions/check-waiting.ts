import { toUserError } from "../../aws/errors.js";
import type { DescribedExecution, HistoryEvent, StepFunctions } from "../../aws/sfn.js";
import { awsErrorName, NotFoundError } from "../../errors.js";
import { type Scope, suggestCommand } from "../suggest.js";
import type { Workflow } from "../workflow/definition.js";
import { lastTaskOutcome, type TaskOutcome, type WaitingState, waitingState } from "./history.js";
import { executionName } from "./names.js";

/** An execution with what its recent history says about it. */
export interface CheckedExecution {
  execution: DescribedExecution;
  /** Set when the execution waits at the callback state right now. */
  waiting?: WaitingState;
  /** Set when it does not wait: a sentence saying why. */
  notWaitingReason?: string;
  /** How its callback task ended, when it has. */
  outcome?: TaskOutcome;
}

/** Page size for reverse history reads: the open task's events fit comfortably. */
export const TAIL_EVENTS = 10;

/**
 * Describe an execution and decide whether it waits at the callback state, and if not, why.
 * `scope` (its stack and the AWS flags) makes the command a not-found hint suggests list that stack.
 */
export async function checkWaiting(sfn: StepFunctions, executionArn: string, workflow: Workflow, scope: Scope): Promise<CheckedExecution> {
  const name = executionName(executionArn);
  let execution: DescribedExecution;
  try {
    execution = await sfn.describeExecution(executionArn);
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw new NotFoundError(
        `Execution ${name} does not exist.`,
        `Run \`${suggestCommand(scope, ["pending"])}\` to list the executions waiting.`,
        error,
      );
    }
    throw toUserError(error, `Describing execution ${name}`);
  }
  let events: HistoryEvent[];
  try {
    events = await sfn.historyTail(executionArn, TAIL_EVENTS);
  } catch (error) {
    throw toUserError(error, `Reading the history of ${name}`);
  }
  const outcome = lastTaskOutcome(events);
  if (execution.status !== "RUNNING") {
    return { execution, outcome, notWaitingReason: `Execution ${name} is not waiting: ${endedReason(execution, outcome)}.` };
  }
  const waiting = waitingState(events, workflow.callbackState);
  if (waiting) return { execution, waiting, outcome };
  // Decided a moment ago: the execution still runs its Choice and Pass states.
  if (outcome) {
    const what =
      outcome.kind === "succeeded"
        ? `it was already decided${outcome.status ? ` ("${outcome.status}")` : ""}`
        : outcome.kind === "failed"
          ? `its task already failed${outcome.error ? ` with ${outcome.error}` : ""}`
          : "its task timed out";
    return { execution, outcome, notWaitingReason: `Execution ${name} is not waiting: ${what} and it is finishing.` };
  }
  return { execution, outcome, notWaitingReason: `Execution ${name} is running but not waiting at "${workflow.callbackState}".` };
}

/**
 * Why an execution no longer waits, as a clause: "it was already decided (...)", "it timed out at ...".
 * Also for one still RUNNING whose task was just decided (it is passing through the Choice state).
 */
export function endedReason(execution: DescribedExecution, outcome?: TaskOutcome): string {
  const when = execution.stopDate ? ` at ${execution.stopDate.toISOString()}` : "";
  const status = execution.status ?? "UNKNOWN";
  if (outcome?.kind === "succeeded" && outcome.status) {
    // Decided a moment ago, the execution may still be passing through the Choice state.
    const ended = status === "RUNNING" ? "" : ` and ended ${status}${when}`;
    return `it was already decided ("${outcome.status}")${ended}`;
  }
  if (status === "TIMED_OUT" || outcome?.kind === "timed-out") return `it timed out${when}`;
  if (status === "FAILED") {
    const error = execution.error ?? outcome?.error;
    return `it failed${error ? ` with ${error}` : ""}${when}`;
  }
  if (status === "ABORTED") return `it was aborted${when}`;
  return `it is ${status}${when}`;
}
