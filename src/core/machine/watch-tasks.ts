import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { DEFAULT_INTERVAL_MS } from "../executions/watch-waiting.js";
import { listWaitingTasks, type WaitingTask } from "./list-tasks.js";
import { resolveStateMachine } from "./resolve.js";

/** One refresh of {@link watchTasks}. */
export interface TaskSnapshot {
  at: Date;
  /** Whether this is the first listing (nothing "arrived" in it). */
  first: boolean;
  tasks: WaitingTask[];
  /** Waiting now, not at the previous refresh. Empty on the first. */
  arrived: WaitingTask[];
  /** Waiting at the previous refresh, not now (answered, timed out, or the execution ended). */
  left: WaitingTask[];
  /** A refresh that failed: the previous listing stands, and watching goes on. */
  error?: Error;
}

/** A task's identity across refreshes: its execution and its TaskScheduled event. */
const keyOf = (t: WaitingTask) => `${t.executionArn}#${t.scheduledEventId}`;

/**
 * `pending --watch --state-machine`'s use case: list the waiting tasks, then again every interval,
 * yielding what changed, until `ctx.signal` aborts. A name is resolved once; with the warm task
 * cache a refresh costs DescribeStateMachine, ListExecutions and a one-event history read per
 * running execution.
 */
export async function* watchTasks(ctx: Context, stateMachine: string, options: { intervalMs?: number; cache?: boolean } = {}) {
  const { arn } = await resolveStateMachine(await ctx.sfn(), stateMachine);
  let previous: WaitingTask[] | undefined;
  for (;;) {
    let snapshot: TaskSnapshot;
    try {
      const { tasks } = await listWaitingTasks(ctx, arn, { cache: options.cache });
      const before = new Set((previous ?? []).map(keyOf));
      const now = new Set(tasks.map(keyOf));
      snapshot = {
        at: ctx.now(),
        first: previous === undefined,
        tasks,
        arrived: previous === undefined ? [] : tasks.filter((t) => !before.has(keyOf(t))),
        left: (previous ?? []).filter((t) => !now.has(keyOf(t))),
      };
      previous = tasks;
    } catch (error) {
      if (previous === undefined) throw toUserError(error, "Listing waiting tasks");
      snapshot = { at: ctx.now(), first: false, tasks: previous, arrived: [], left: [], error: toUserError(error, "Refreshing") };
    }
    yield snapshot;
    await ctx.sleep(options.intervalMs ?? DEFAULT_INTERVAL_MS, ctx.signal);
  }
}
