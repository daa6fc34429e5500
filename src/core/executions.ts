import type { DescribeExecutionCommandOutput, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { awsErrorName, NotFoundError, toUserError, UsageError } from "../errors.js";
import { mapLimit } from "./concurrency.js";
import type { Workflow } from "./definition.js";
import { lastTaskOutcome, type TaskOutcome, type WaitingState, waitingState } from "./history.js";

/** Characters Step Functions refuses in execution names (plus whitespace, control characters and lone surrogates). */
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;

/** Throw a usage error unless `name` is a valid Step Functions execution name (non-ASCII is fine). */
export function validateExecutionName(name: string): void {
  const length = [...name].length;
  if (length < 1 || length > 80) {
    throw new UsageError(`Execution name "${name}" must be 1 to 80 characters long (it has ${length}).`);
  }
  const bad = name.match(FORBIDDEN_NAME);
  if (bad) {
    throw new UsageError(
      `Execution name "${name}" contains ${JSON.stringify(bad[0])}, which Step Functions does not allow.`,
      'Names may not contain spaces, control characters or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /',
    );
  }
}

/** The execution ARN for a name or ARN given on the command line, in the stack's state machine. */
export function resolveExecutionArn(stateMachineArn: string, nameOrArn: string): string {
  const prefix = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:`;
  if (nameOrArn.startsWith("arn:")) {
    if (!nameOrArn.startsWith(prefix) || !/:execution:/.test(nameOrArn)) {
      throw new UsageError(`${nameOrArn} is not an execution of this stack's state machine (${stateMachineArn}).`);
    }
    return nameOrArn;
  }
  validateExecutionName(nameOrArn);
  return prefix + nameOrArn;
}

/** The execution name at the end of an execution ARN. */
export function executionName(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(":") + 1);
}

/** An execution with what its recent history says about it. */
export interface InspectedExecution {
  execution: DescribeExecutionCommandOutput;
  /** Set when the execution waits at the callback state right now. */
  waiting?: WaitingState;
  /** Set when it does not wait: a sentence saying why. */
  notWaitingReason?: string;
  /** How its callback task ended, when it has. */
  outcome?: TaskOutcome;
}

/** Page size for reverse history reads: the open task's events fit comfortably. */
const TAIL_EVENTS = 10;

/** The newest events of an execution's history, with execution data (token and input). */
export async function readHistoryTail(sfn: SFNClient, executionArn: string, maxResults = TAIL_EVENTS): Promise<HistoryEvent[]> {
  const { GetExecutionHistoryCommand } = await import("@aws-sdk/client-sfn");
  const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults, includeExecutionData: true }));
  return page.events ?? [];
}

/** Describe an execution and decide whether it waits at the callback state, and if not, why. */
export async function inspectExecution(sfn: SFNClient, executionArn: string, workflow: Workflow): Promise<InspectedExecution> {
  const { DescribeExecutionCommand } = await import("@aws-sdk/client-sfn");
  const name = executionName(executionArn);
  let execution: DescribeExecutionCommandOutput;
  try {
    execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw new NotFoundError(`Execution ${name} does not exist.`, "Run `approvals pending` to list the executions waiting.");
    }
    throw toUserError(error, `Describing execution ${name}`);
  }
  let events: HistoryEvent[];
  try {
    events = await readHistoryTail(sfn, executionArn);
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

/** How an execution that is no longer running ended, as a clause: "it was already decided (...)". */
export function endedReason(execution: DescribeExecutionCommandOutput, outcome?: TaskOutcome): string {
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

/** One execution waiting at the callback state. */
export interface PendingExecution {
  name: string;
  executionArn: string;
  startDate: Date;
  waitingSince: Date;
  /** When Step Functions will end it by the definition's TimeoutSeconds, if set. */
  expiresAt: Date | undefined;
  /** The execution input, as a JSON string. */
  input: string | undefined;
  /** Bearer secret; printed only inside links the user asked for. */
  token: string;
}

/** Options of {@link findWaitingExecutions}. */
export interface FindWaitingOptions {
  /** History reads in flight at once; default 10. */
  concurrency?: number;
}

/**
 * The state machine's executions that wait at the callback state now, newest first:
 * one ListExecutions page per 1,000 RUNNING executions, then a short reverse history read each.
 */
export async function findWaitingExecutions(
  sfn: SFNClient,
  stateMachineArn: string,
  workflow: Workflow,
  options: FindWaitingOptions = {},
): Promise<PendingExecution[]> {
  const { paginateListExecutions } = await import("@aws-sdk/client-sfn");
  const running = [];
  for await (const page of paginateListExecutions({ client: sfn, pageSize: 1000 }, { stateMachineArn, statusFilter: "RUNNING" })) {
    running.push(...(page.executions ?? []));
  }
  const found = await mapLimit(running, options.concurrency ?? 10, async (item) => {
    const arn = item.executionArn ?? "";
    const waiting = waitingState(await readHistoryTail(sfn, arn), workflow.callbackState);
    if (!waiting) return undefined;
    const startDate = item.startDate ?? waiting.waitingSince;
    const pending: PendingExecution = {
      name: item.name ?? executionName(arn),
      executionArn: arn,
      startDate,
      waitingSince: waiting.waitingSince,
      expiresAt: expiryOf(startDate, workflow, waiting.waitingSince),
      input: waiting.input,
      token: waiting.token,
    };
    return pending;
  });
  return found.filter((p): p is PendingExecution => p !== undefined).sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
}

/**
 * When the definition's timeouts end an execution started at `startDate`: the state machine's
 * TimeoutSeconds from the start, or the callback state's own from `waitingSince`, whichever comes first.
 */
export function expiryOf(startDate: Date, workflow: Workflow, waitingSince?: Date): Date | undefined {
  const ends: number[] = [];
  if (workflow.timeoutSeconds !== undefined) ends.push(startDate.getTime() + workflow.timeoutSeconds * 1000);
  if (workflow.callbackTimeoutSeconds !== undefined && waitingSince) {
    ends.push(waitingSince.getTime() + workflow.callbackTimeoutSeconds * 1000);
  }
  return ends.length ? new Date(Math.min(...ends)) : undefined;
}
