import { toUserError } from "../../aws/errors.js";
import type { ExecutionListItem, StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { mapLimit } from "../../lib/async.js";
import { CONCURRENCY } from "../../settings.js";
import { executionName } from "../executions/names.js";
import { storeScope } from "../store.js";
import { type DefinitionDocument, findCallbackTasks } from "../workflow/callbacks.js";
import { openWorkflow } from "../workflow/open.js";
import { type OpenTask, openTasks, sortTasks } from "./open-tasks.js";
import type { NamedMachine } from "./resolve.js";
import { forgetTasks, openTaskCache, recalledTask, rememberTasks, type TaskCache, tasksOf } from "./task-cache.js";

/** A callback task waiting in a running execution. */
export interface WaitingTask extends OpenTask {
  /** The execution's name. */
  execution: string;
  executionArn: string;
  /** When the execution started. */
  startDate: Date;
  /** When Step Functions ends the wait: the task's own timeout, or the state machine's, whichever comes first. */
  expiresAt: Date | undefined;
}

/** What {@link listWaitingTasks} found. */
export interface TaskList {
  machine: NamedMachine;
  /** One row per waiting task, newest execution first, tasks of one execution in the definition's order (Map iterations by index). */
  tasks: WaitingTask[];
  /** What the listing did, for `--debug`: RUNNING executions, taken from the cache after a one-event read, read whole. */
  report: { running: number; verified: number; read: number };
  /** The waiting-task cache file used, if any. */
  cachePath: string | undefined;
  /** How many callback tasks the current definition has (none: nothing can ever wait). */
  callbackTasks: number;
}

/** Options of {@link listWaitingTasks}. */
export interface ListTasksOptions {
  /** Reuse and update the tasks remembered as waiting by earlier runs. Default true. */
  cache?: boolean;
}

/**
 * `pending --state-machine`'s use case: every callback task that waits in the state machine's
 * running executions (only `states:` calls: ListStateMachines for a name, DescribeStateMachine,
 * ListExecutions, GetExecutionHistory). An execution whose tasks were remembered costs a one-event
 * history read showing nothing happened since; any other is read whole.
 */
export async function listWaitingTasks(ctx: Context, stateMachine: string, options: ListTasksOptions = {}): Promise<TaskList> {
  const opened = await openWorkflow(ctx, {
    stateMachine,
    alongside: (client, arn) =>
      Promise.all([
        client.runningExecutions(arn).catch((error) => Promise.reject(toUserError(error, "Listing waiting executions"))),
        (options.cache === false ? Promise.resolve(undefined) : storeScope(ctx)).then((scope) =>
          scope ? openTaskCache(scope, arn, { env: ctx.env }) : undefined,
        ),
      ]),
  });
  const { sfn, definition } = opened;
  const machine = { arn: opened.arn, name: opened.name };
  const [running, cache] = opened.alongside;
  const { tasks, report } = await tasksOfRunning(sfn, definition, running, cache);
  await cache?.save();
  return { machine, tasks, report, cachePath: cache?.path, callbackTasks: findCallbackTasks(definition).length };
}

/**
 * The waiting tasks of a state machine's RUNNING executions, newest execution first. An execution
 * whose tasks `cache` remembers costs a one-event history read showing nothing happened since; any
 * other is read whole, and what it shows remembered. The caller saves the cache.
 */
export async function tasksOfRunning(
  sfn: StepFunctions,
  definition: DefinitionDocument,
  running: readonly ExecutionListItem[],
  cache: TaskCache | undefined,
): Promise<{ tasks: WaitingTask[]; report: TaskList["report"] }> {
  const report = { running: running.length, verified: 0, read: 0 };
  const listed = new Set(running.map((r) => r.executionArn));
  if (cache) forgetTasks(cache, (arn) => listed.has(arn));
  const callbacks = findCallbackTasks(definition);
  const perExecution = await mapLimit(running, CONCURRENCY, async (item) => {
    const arn = item.executionArn ?? "";
    try {
      const remembered = cache ? tasksOf(cache, arn) : [];
      if (cache && remembered.length > 0) {
        const recalled = remembered.map((entry) => recalledTask(entry, callbacks));
        const unchanged = remembered.every((e) => e.lastEventId === remembered[0]?.lastEventId);
        if (unchanged && recalled.every((t) => t !== undefined) && (await sfn.newestEventId(arn)) === remembered[0]?.lastEventId) {
          report.verified++;
          return waitingIn(item, definition, sortTasks(recalled as OpenTask[], callbacks));
        }
      }
      const events = await sfn.fullHistory(arn);
      report.read++;
      const open = openTasks(events, definition);
      if (cache) rememberTasks(cache, arn, open, Math.max(0, ...events.map((e) => e.id ?? 0)));
      return waitingIn(item, definition, open);
    } catch (error) {
      // An execution that ended between the listing and the read waits for nothing.
      if ((error as { name?: string }).name === "ExecutionDoesNotExist") return [];
      throw toUserError(error, "Reading an execution's history");
    }
  });
  return { tasks: perExecution.flat().sort((a, b) => b.startDate.getTime() - a.startDate.getTime()), report };
}

/** The open tasks of one execution as rows, with when each wait ends. */
export function waitingIn(
  item: Pick<ExecutionListItem, "executionArn" | "name" | "startDate">,
  definition: DefinitionDocument,
  open: readonly OpenTask[],
): WaitingTask[] {
  const executionArn = item.executionArn ?? "";
  const startDate = item.startDate ?? new Date(0);
  return open.map((task) => ({
    ...task,
    execution: item.name ?? executionName(executionArn),
    executionArn,
    startDate,
    expiresAt: taskExpiry(startDate, definition, task),
  }));
}

/**
 * When a waiting task ends at the latest: its own TimeoutSeconds (as its TaskScheduled event
 * recorded it) from when it was scheduled, or the state machine's TimeoutSeconds from the
 * execution's start, whichever comes first.
 */
export function taskExpiry(
  startDate: Date,
  definition: DefinitionDocument,
  task: Pick<OpenTask, "timeoutSeconds" | "waitingSince">,
): Date | undefined {
  const ends: number[] = [];
  if (typeof definition.TimeoutSeconds === "number") ends.push(startDate.getTime() + definition.TimeoutSeconds * 1000);
  if (task.timeoutSeconds !== undefined) ends.push(task.waitingSince.getTime() + task.timeoutSeconds * 1000);
  return ends.length ? new Date(Math.min(...ends)) : undefined;
}
