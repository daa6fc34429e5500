import type { ExecutionListItem, StepFunctions } from "../../aws/sfn.js";
import { READS_IN_FLIGHT } from "../../settings.js";
import type { Workflow } from "../workflow/definition.js";
import { TAIL_EVENTS } from "./check-waiting.js";
import { waitingState } from "./history.js";
import { executionName } from "./names.js";
import { type WaitingCache, waitsByExecution } from "./waiting-cache.js";
import { forgetEnded, recall, recallPolicy, remember } from "./waiting-recall.js";

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
  /** History reads in flight at the start; default {@link READS_IN_FLIGHT}, then adapted to the service (see StepFunctions.readHistories). */
  concurrency?: number;
  /** The RUNNING executions, when already listed (StepFunctions.runningExecutions); default: listed here. */
  running?: ExecutionListItem[];
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
  sfn: StepFunctions,
  stateMachineArn: string,
  workflow: Workflow,
  options: FindWaitingOptions = {},
): Promise<PendingExecution[]> {
  const running = options.running ?? (await sfn.runningExecutions(stateMachineArn));
  const { cache } = options;
  const report: WaitingReport = { running: running.length, remembered: 0, verified: 0, read: 0, dropped: 0 };
  if (cache) report.dropped += forgetEnded(cache, running);
  const policy = recallPolicy(workflow);
  const index = cache && waitsByExecution(cache);

  const found = await sfn.readHistories(
    running,
    async (item, reads): Promise<PendingExecution | undefined> => {
      const arn = item.executionArn ?? "";
      const startDate = item.startDate;
      if (cache) {
        const recalled = await recall(reads, cache, item, policy, index);
        if (recalled.kind !== "unknown") {
          report[recalled.kind]++;
          const { entry } = recalled;
          return pendingOf(item, new Date(entry.startDate), new Date(entry.waitingSince), entry.input, entry.token, workflow);
        }
        if (recalled.forgotten) report.dropped++;
      }
      const events = await reads.historyTail(arn, TAIL_EVENTS);
      report.read++;
      const waiting = waitingState(events, workflow.callbackState);
      if (!waiting) return undefined;
      if (cache) remember(cache, arn, { startDate: startDate ?? waiting.waitingSince, waiting, events, policy });
      return pendingOf(item, startDate ?? waiting.waitingSince, waiting.waitingSince, waiting.input, waiting.token, workflow);
    },
    { initial: options.concurrency ?? READS_IN_FLIGHT },
  );
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
