import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { storeScope } from "../store.js";
import type { Workflow } from "../workflow/definition.js";
import { openWorkflow } from "../workflow/open.js";
import { classifyOutcome, type Outcome } from "./outcome.js";
import { findWaitingExecutions, type PendingExecution } from "./waiting.js";
import { openWaitingCache, type WaitingCache } from "./waiting-cache.js";

/**
 * Step Functions refills ListExecutions at 2 calls a second per account in most regions (5 in
 * us-east-1, us-west-2 and eu-west-1), shared with every other caller. One refresh every 2 s at
 * most takes a quarter of the smallest refill, leaving the rest to the console and other tools.
 */
export const MIN_INTERVAL_MS = 2000;
/** Seconds between refreshes unless `--interval` says otherwise. */
export const DEFAULT_INTERVAL_MS = 10_000;

/** Executions that started and stopped waiting between two listings. Pure data. */
export interface WaitingDiff {
  arrived: PendingExecution[];
  left: PendingExecution[];
}

/**
 * What changed between two listings of waiting executions, by execution ARN: those listed now but
 * not before arrived, those listed before but not now left. Order follows each listing.
 */
export function diffWaiting(previous: readonly PendingExecution[], current: readonly PendingExecution[]): WaitingDiff {
  const before = new Set(previous.map((p) => p.executionArn));
  const now = new Set(current.map((p) => p.executionArn));
  return {
    arrived: current.filter((p) => !before.has(p.executionArn)),
    left: previous.filter((p) => !now.has(p.executionArn)),
  };
}

/** One refresh of {@link watchWaiting}. */
export interface WatchSnapshot {
  /** When the listing was read. */
  at: Date;
  /** Whether this is the first listing (nothing "arrived" in it). */
  first: boolean;
  /** Executions waiting now, newest first. */
  pending: PendingExecution[];
  /** Waiting now, not at the previous refresh. Empty on the first. */
  arrived: PendingExecution[];
  /** Waiting at the previous refresh, not now, with how each ended. */
  ended: { execution: PendingExecution; outcome: Outcome }[];
  /** A refresh that failed: the previous listing stands, and watching goes on. */
  error?: Error;
  /** Across stacks (`--all-stacks`): each execution's stack, by execution ARN. Absent for one stack. */
  stacks?: ReadonlyMap<string, string>;
  /** Across stacks: executions listed before whose stack's state machine is gone (the stack was deleted); that stack is no longer watched. */
  gone?: PendingExecution[];
  /** Time to the next refresh, when longer than the one asked for (many stacks: see `watchWaitingAcrossStacks`). */
  intervalMs?: number;
}

/** Options of {@link watchWaiting}. */
export interface WatchOptions {
  /** Time between refreshes; default {@link DEFAULT_INTERVAL_MS}. */
  intervalMs?: number;
  /** Reuse the waiting-execution cache, so a refresh is one ListExecutions call. Default true. */
  cache?: boolean;
}

/**
 * `pending --watch`'s use case: list the waiting executions, then again every interval, yielding a
 * snapshot with what changed each time until `ctx.signal` aborts (the pending sleep then rejects).
 * The stack and definition are read once; with the warm cache a refresh costs one ListExecutions
 * call, plus a history read per new arrival and a DescribeExecution per execution that left.
 */
export async function* watchWaiting(ctx: Context, options: WatchOptions = {}): AsyncGenerator<WatchSnapshot> {
  const opened = await openWorkflow(ctx);
  const { stateMachineArn, workflow } = opened;
  const sfn = opened.sfn.withSignal(ctx.signal);
  const scope = options.cache === false ? undefined : await storeScope(ctx);
  const cache = scope ? await openWaitingCache(scope, stateMachineArn, { env: ctx.env }) : undefined;
  let previous: PendingExecution[] | undefined;
  for (;;) {
    let snapshot: WatchSnapshot;
    try {
      snapshot = await refreshWaiting({ sfn, stateMachineArn, workflow, cache }, previous, ctx.now);
      previous = snapshot.pending;
    } catch (error) {
      if (previous === undefined) throw toUserError(error, "Listing waiting executions");
      snapshot = { at: ctx.now(), first: false, pending: previous, arrived: [], ended: [], error: toUserError(error, "Refreshing") };
    }
    yield snapshot;
    await ctx.sleep(options.intervalMs ?? DEFAULT_INTERVAL_MS, ctx.signal);
  }
}

/** One watched state machine: its workflow, and the waiting tasks remembered of it (none with `--no-cache`). */
export interface Watched {
  sfn: StepFunctions;
  stateMachineArn: string;
  workflow: Workflow;
  cache: WaitingCache | undefined;
}

/**
 * One refresh of a watched state machine: its waiting executions now, what arrived and how those that
 * left ended, against the `previous` listing (none: this is the first).
 */
export async function refreshWaiting(
  { sfn, stateMachineArn, workflow, cache }: Watched,
  previous: PendingExecution[] | undefined,
  now: () => Date,
): Promise<WatchSnapshot> {
  const pending = await findWaitingExecutions(sfn, stateMachineArn, workflow, { cache });
  const at = now();
  await cache?.save();
  if (previous === undefined) return { at, first: true, pending, arrived: [], ended: [] };
  const { arrived, left } = diffWaiting(previous, pending);
  const ended = [];
  for (const execution of left) ended.push({ execution, outcome: await outcomeOf(sfn, execution.executionArn, workflow) });
  return { at, first: false, pending, arrived, ended };
}

/** How an execution that stopped waiting ended, from DescribeExecution. */
async function outcomeOf(sfn: StepFunctions, executionArn: string, workflow: Workflow): Promise<Outcome> {
  const execution = await sfn.describeExecution(executionArn);
  return classifyOutcome({ ...execution, waiting: false }, workflow);
}
