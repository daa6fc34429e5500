import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { awsErrorName, NotFoundError } from "../../errors.js";
import { findApprovalStacks } from "../stack/discover.js";
import { type StoreScope, storeScope } from "../store.js";
import { openWorkflow } from "../workflow/open.js";
import type { PendingExecution } from "./waiting.js";
import { openWaitingCache } from "./waiting-cache.js";
import {
  DEFAULT_INTERVAL_MS,
  MIN_INTERVAL_MS,
  refreshWaiting,
  type Watched,
  type WatchOptions,
  type WatchSnapshot,
} from "./watch-waiting.js";

/** One stack followed by {@link watchWaitingAcrossStacks}, with its last listing. */
interface WatchedStack extends Watched {
  stackName: string;
  previous: PendingExecution[] | undefined;
}

/** How often the stacks are looked for again, so that a stack deployed while watched joins the view. */
export const FIND_STACKS_EVERY_MS = 60_000;

/**
 * `pending --watch --all-stacks`' use case: find every human-approval stack (one DescribeStacks
 * listing, whose outputs each stack is opened from), then list each one's waiting executions every
 * interval (at least {@link MIN_INTERVAL_MS} for each stack), yielding one snapshot of them all
 * (each execution's stack in `stacks`) until `ctx.signal` aborts. The stacks are looked for again
 * every {@link FIND_STACKS_EVERY_MS} (or every round, when a round is longer): a stack deployed since
 * joins, its waiting executions as arrivals. A stack whose refresh fails keeps its previous listing,
 * and the snapshot carries the error; one whose state machine is gone (deleted while watched) is
 * dropped, its executions listed once as `gone`. A stack whose state machine is gone or is not an
 * approval workflow is passed over until the next search (an update in place keeps the state
 * machine's ARN: only reading it again tells), and one that cannot be read is left out until the next
 * search, the snapshot saying why.
 */
export async function* watchWaitingAcrossStacks(ctx: Context, options: WatchOptions = {}): AsyncGenerator<WatchSnapshot> {
  const scope = options.cache === false ? undefined : await storeScope(ctx);
  const watched: WatchedStack[] = [];
  let { unread, dropped } = await joinNewStacks(ctx, watched, scope);
  let foundAt = ctx.now().getTime();
  const asked = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  for (let first = true; ; first = false) {
    if (!first && ctx.now().getTime() - foundAt >= FIND_STACKS_EVERY_MS) {
      try {
        ({ unread, dropped } = await joinNewStacks(ctx, watched, scope));
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        unread = toUserError(error, "Looking for new stacks");
      }
      foundAt = ctx.now().getTime();
    }
    // Each stack's refresh is a ListExecutions call: the floor that keeps one stack's watch within a
    // quarter of the account's smallest refill holds for each stack, so many stacks stretch the interval.
    const every = Math.max(asked, watched.length * MIN_INTERVAL_MS);
    const snapshot = await refreshAll(ctx, watched, first, dropped);
    if (every > asked) snapshot.intervalMs = every;
    // A snapshot carries one error: a failed search waits for a round whose refreshes all succeed.
    const told = unread && !snapshot.error ? unread : undefined;
    yield told ? { ...snapshot, error: told } : snapshot;
    if (told) unread = undefined;
    dropped = [];
    await ctx.sleep(every, ctx.signal);
  }
}

/**
 * Find the human-approval stacks and start watching those not watched yet (by state machine, so a
 * stack deleted and deployed again under its name joins as new, and a state machine two stacks name
 * is watched once, under the first). A watched stack that now names another state machine (updated,
 * or deployed again) stops being watched over the old one: it is returned in `dropped`, its executions
 * to leave the view once. `unread` says why a stack could not be read, if one could not; one that is
 * not (or no longer) an approval workflow is passed over in silence, and read again at the next search.
 */
async function joinNewStacks(
  ctx: Context,
  watched: WatchedStack[],
  scope: StoreScope | undefined,
): Promise<{ unread?: Error; dropped: WatchedStack[] }> {
  const found = await findApprovalStacks(await ctx.cloudFormation(), { abortSignal: ctx.signal });
  let unread: Error | undefined;
  const dropped: WatchedStack[] = [];
  // Definitions are read as the listings are, under the watch's signal: Ctrl-C ends an unanswered read.
  const sfn = (await ctx.sfn()).withSignal(ctx.signal);
  for (const { stackName, described } of found) {
    const arn = described.outputs.StateMachineHumanApprovalArn;
    const stale = watched.find((w) => w.stackName === stackName && w.stateMachineArn !== arn);
    if (stale) dropped.push(...watched.splice(watched.indexOf(stale), 1));
    if (watched.some((w) => w.stateMachineArn === arn)) continue;
    try {
      const open = await openWorkflow({ ...ctx, stackName, sfn: async () => sfn }, { described });
      const cache = scope ? await openWaitingCache(scope, open.stateMachineArn, { env: ctx.env }) : undefined;
      watched.push({ ...open, cache, stackName, previous: undefined });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      if (!(error instanceof NotFoundError)) unread ??= toUserError(error, `Reading stack ${stackName}`);
    }
  }
  return { unread, dropped };
}

/**
 * Refresh every stack, one after another (each listing reads histories in parallel), into one
 * snapshot; the executions last listed of the `dropped` stacks (no longer watched) are in it as gone.
 */
async function refreshAll(ctx: Context, watched: WatchedStack[], first: boolean, dropped: WatchedStack[]): Promise<WatchSnapshot> {
  const stacks = new Map<string, string>();
  const snapshot: WatchSnapshot = { at: ctx.now(), first, pending: [], arrived: [], ended: [], stacks };
  // Stacks no longer watched: their executions last listed leave the view once, as gone.
  const leaving = [...dropped];
  for (const w of [...watched]) {
    try {
      const part = await refreshWaiting(w, w.previous, ctx.now);
      // A stack first listed after the first round (deployed while watched): all it has arrived.
      const joined = !first && w.previous === undefined;
      w.previous = part.pending;
      snapshot.arrived.push(...(first ? [] : joined ? part.pending : part.arrived));
      snapshot.ended.push(...part.ended);
      for (const { execution } of part.ended) stacks.set(execution.executionArn, w.stackName);
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      if (awsErrorName(error) === "StateMachineDoesNotExist") {
        // Deleted while watched: no later refresh can succeed.
        watched.splice(watched.indexOf(w), 1);
        leaving.push(w);
        continue;
      }
      snapshot.error ??= toUserError(error, `Refreshing stack ${w.stackName}`);
    }
    for (const p of w.previous ?? []) stacks.set(p.executionArn, w.stackName);
    snapshot.pending.push(...(w.previous ?? []));
  }
  for (const w of leaving) for (const p of w.previous ?? []) stacks.set(p.executionArn, w.stackName);
  const gone = leaving.flatMap((w) => w.previous ?? []);
  if (gone.length > 0) snapshot.gone = gone;
  snapshot.pending.sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  snapshot.at = ctx.now();
  return snapshot;
}
