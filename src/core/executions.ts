import type { DescribeExecutionCommandOutput, ExecutionListItem, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { awsErrorName, NotFoundError, toUserError, UsageError } from "../errors.js";
import { mapLimit } from "./concurrency.js";
import type { Workflow } from "./definition.js";
import { lastTaskOutcome, type TaskOutcome, type WaitingState, waitingState } from "./history.js";
import { forgetEnded, recall, recallPolicy, remember, type WaitingCache } from "./waiting-cache.js";

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

/** What a listing did, for `--debug` and the benchmark. */
export interface WaitingReport {
  /** RUNNING executions listed. */
  running: number;
  /** Taken from the cache without reading history (RUNNING proves they still wait). */
  remembered: number;
  /** Taken from the cache after a one-event history read showed nothing happened since. */
  verified: number;
  /** Whose history tail was read. */
  read: number;
  /** Cache entries dropped: no longer RUNNING, or changed since they were remembered. */
  dropped: number;
}

/** Options of {@link findWaitingExecutions}. */
export interface FindWaitingOptions {
  /** History reads in flight at once; default 10 (with the SDK's adaptive retry, gentle on the quota). */
  concurrency?: number;
  /** Waiting executions remembered by earlier runs, updated in place; default none (read every history). */
  cache?: WaitingCache;
  /** Called once with what the listing did; default none. */
  onReport?: (report: WaitingReport) => void;
}

/**
 * The state machine's executions that wait at the callback state now, newest first:
 * one ListExecutions page per 1,000 RUNNING executions, then a short reverse history read for each
 * execution the cache does not vouch for. A cached execution is taken without any read only when
 * nothing but Choice, Pass, Succeed and Fail states follow the callback in the definition it was
 * first seen under: a decided execution would have left RUNNING within milliseconds. Otherwise a
 * one-event history read must show its history unchanged since it was seen waiting.
 */
export async function findWaitingExecutions(
  sfn: SFNClient,
  stateMachineArn: string,
  workflow: Workflow,
  options: FindWaitingOptions = {},
): Promise<PendingExecution[]> {
  const { paginateListExecutions } = await import("@aws-sdk/client-sfn");
  const running: ExecutionListItem[] = [];
  for await (const page of paginateListExecutions({ client: sfn, pageSize: 1000 }, { stateMachineArn, statusFilter: "RUNNING" })) {
    running.push(...(page.executions ?? []));
  }
  const { cache } = options;
  const report: WaitingReport = { running: running.length, remembered: 0, verified: 0, read: 0, dropped: 0 };
  if (cache) report.dropped += forgetEnded(cache, running);
  const policy = recallPolicy(workflow);

  const found = await mapLimit(running, options.concurrency ?? 10, async (item): Promise<PendingExecution | undefined> => {
    const arn = item.executionArn ?? "";
    const startDate = item.startDate;
    if (cache) {
      const recalled = await recall(sfn, cache, item, policy);
      if (recalled.kind !== "unknown") {
        report[recalled.kind]++;
        const { entry } = recalled;
        return pendingOf(item, new Date(entry.startDate), new Date(entry.waitingSince), entry.input, entry.token, workflow);
      }
      if (recalled.forgotten) report.dropped++;
    }
    report.read++;
    const events = await readHistoryTail(sfn, arn);
    const waiting = waitingState(events, workflow.callbackState);
    if (!waiting) return undefined;
    if (cache) remember(cache, arn, { startDate: startDate ?? waiting.waitingSince, waiting, events, policy });
    return pendingOf(item, startDate ?? waiting.waitingSince, waiting.waitingSince, waiting.input, waiting.token, workflow);
  });
  options.onReport?.(report);
  return found.filter((p): p is PendingExecution => p !== undefined).sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
}

function pendingOf(
  item: ExecutionListItem,
  startDate: Date,
  waitingSince: Date,
  input: string | undefined,
  token: string,
  workflow: Workflow,
): PendingExecution {
  const executionArn = item.executionArn ?? "";
  return {
    name: item.name ?? executionName(executionArn),
    executionArn,
    startDate,
    waitingSince,
    expiresAt: expiryOf(startDate, workflow, waitingSince),
    input,
    token,
  };
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
