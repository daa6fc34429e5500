// What `pending --state-machine` remembers of the tasks it saw waiting, keyed by task (execution and
// the id of the task's TaskScheduled event), not by execution: a Parallel or a Map waits on several
// tokens at once, and answering one leaves the others (and the execution) as they were.
import type { Cache } from "../../lib/cache.js";
import { openSection, type StoreOptions, type StoreScope, section } from "../store.js";
import type { CallbackTask } from "../workflow/callbacks.js";
import type { OpenTask } from "./open-tasks.js";

/** One waiting task as remembered: nothing of it changes while it waits. */
export interface RememberedTask {
  executionArn: string;
  /** The task's place in the definition (see StatePath). */
  path: (string | number)[];
  mapIndex: number | null;
  /** ISO time of its TaskScheduled event. */
  waitingSince: string;
  timeoutSeconds: number | null;
  /** Bearer secret: why cache files are 0600. Empty when the history did not show it. */
  token: string;
  scheduledEventId: number;
  /** The execution's newest event id when it was read: the same id later means nothing happened since. */
  lastEventId: number;
}

/** Remembered waiting tasks of one state machine, keyed by `executionArn#scheduledEventId`. */
export type TaskCache = Cache<RememberedTask>;

/** The cache key of a task. */
export const taskKey = (executionArn: string, scheduledEventId: number) => `${executionArn}#${scheduledEventId}`;

/** The store's section of any state machine's waiting tasks, one file per state machine. */
const TASKS = section("tasks", isRememberedTask);

/** Open the waiting tasks remembered of a state machine in the run's scope. */
export function openTaskCache(scope: StoreScope, stateMachineArn: string, options: StoreOptions): Promise<TaskCache> {
  return openSection(scope, TASKS, stateMachineArn, options);
}

/** The remembered tasks of one execution. */
export function tasksOf(cache: TaskCache, executionArn: string): RememberedTask[] {
  return cache.keys().flatMap((key) => {
    const entry = cache.get(key);
    return entry && entry.executionArn === executionArn ? [entry] : [];
  });
}

/** Forget every task of the executions `keep` says no. */
export function forgetTasks(cache: TaskCache, keep: (executionArn: string) => boolean): void {
  for (const key of cache.keys()) {
    const entry = cache.get(key);
    if (!entry || !keep(entry.executionArn)) cache.delete(key);
  }
}

/** Remember the open tasks of an execution whose history was just read up to `lastEventId`. */
export function rememberTasks(cache: TaskCache, executionArn: string, open: readonly OpenTask[], lastEventId: number): void {
  forgetTasks(cache, (arn) => arn !== executionArn);
  for (const t of open) {
    if ((t.input?.length ?? 0) > 32 * 1024) continue;
    cache.set(taskKey(executionArn, t.scheduledEventId), {
      executionArn,
      path: [...t.task.path],
      mapIndex: t.mapIndex ?? null,
      waitingSince: t.waitingSince.toISOString(),
      timeoutSeconds: t.timeoutSeconds ?? null,
      token: t.token ?? "",
      scheduledEventId: t.scheduledEventId,
      lastEventId,
    });
  }
}

/** A remembered task as an open task of the current definition; undefined when the definition no longer has it. */
export function recalledTask(entry: RememberedTask, tasks: readonly CallbackTask[]): OpenTask | undefined {
  const task = tasks.find((t) => JSON.stringify(t.path) === JSON.stringify(entry.path));
  if (!task) return undefined;
  return {
    state: task.name,
    task,
    mapIndex: entry.mapIndex ?? undefined,
    waitingSince: new Date(entry.waitingSince),
    timeoutSeconds: entry.timeoutSeconds ?? undefined,
    token: entry.token || undefined,
    input: undefined,
    scheduledEventId: entry.scheduledEventId,
  };
}

function isRememberedTask(value: unknown): value is RememberedTask {
  const v = value as Partial<RememberedTask> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.executionArn === "string" &&
    Array.isArray(v.path) &&
    v.path.every((p) => typeof p === "string" || Number.isInteger(p)) &&
    (v.mapIndex === null || Number.isInteger(v.mapIndex)) &&
    typeof v.waitingSince === "string" &&
    !Number.isNaN(Date.parse(v.waitingSince)) &&
    (v.timeoutSeconds === null || typeof v.timeoutSeconds === "number") &&
    typeof v.token === "string" &&
    Number.isInteger(v.scheduledEventId) &&
    Number.isInteger(v.lastEventId)
  );
}
