import type { ExecutionListItem } from "@aws-sdk/client-sfn";
import type { Context } from "../../context.js";
import { toUserError } from "../../errors.js";
import { mapLimit } from "../../lib/async.js";
import { CONCURRENCY } from "../../settings.js";
import { executionName } from "../executions/names.js";
import { readFullHistory } from "../executions/report.js";
import { listRunning } from "../executions/waiting.js";
import type { DefinitionDocument } from "../workflow/callbacks.js";
import { type OpenTask, openTasks } from "./open-tasks.js";
import { describeMachine, type NamedMachine, resolveStateMachine } from "./resolve.js";

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
}

/**
 * `pending --state-machine`'s use case: every callback task that waits in the state machine's
 * running executions, read from each execution's history (only `states:` calls: ListStateMachines
 * for a name, DescribeStateMachine, ListExecutions, GetExecutionHistory).
 */
export async function listWaitingTasks(ctx: Context, stateMachine: string): Promise<TaskList> {
  const sfn = await ctx.sfn();
  const machine = await resolveStateMachine(sfn, stateMachine);
  const [{ definition }, running] = await Promise.all([
    describeMachine(sfn, machine),
    listRunning(sfn, machine.arn).catch((error) => Promise.reject(toUserError(error, "Listing waiting executions"))),
  ]);
  const perExecution = await mapLimit(running, CONCURRENCY, async (item) => {
    try {
      return waitingIn(item, definition, openTasks(await readFullHistory(sfn, item.executionArn ?? ""), definition));
    } catch (error) {
      // An execution that ended between the listing and the read waits for nothing.
      if ((error as { name?: string }).name === "ExecutionDoesNotExist") return [];
      throw toUserError(error, "Reading an execution's history");
    }
  });
  const tasks = perExecution.flat().sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  return { machine, tasks };
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
