import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import { resolveExecutionArn } from "../executions/names.js";
import { type DefinitionDocument, definitionDocument } from "../workflow/callbacks.js";
import { openWorkflow } from "../workflow/open.js";
import { type Routes, routesAfter } from "../workflow/routes.js";
import { type WaitingTask, waitingIn } from "./list-tasks.js";
import { openTasks } from "./open-tasks.js";
import { type NamedMachine, resolveStateMachine } from "./resolve.js";

/** A waiting task with where each answer takes the workflow. */
export interface RoutedTask extends WaitingTask {
  routes: Routes;
}

/** An execution of any state machine, with its waiting tasks and their branches. */
export interface ExecutionTasks {
  machine: NamedMachine;
  name: string;
  executionArn: string;
  status: string;
  startDate: Date | undefined;
  /** The definition the execution runs on (DescribeStateMachineForExecution). */
  definition: DefinitionDocument;
  tasks: RoutedTask[];
}

/**
 * `show --state-machine` and `decide`'s reading: the execution (DescribeExecution), the definition
 * it runs on (DescribeStateMachineForExecution: the version it started with, not today's), its
 * whole history, the tasks that wait in it, and for each where every answer leads (routesAfter).
 * `stateMachine` undefined means the stack's (`--stack-name`).
 */
export async function readExecutionTasks(ctx: Context, stateMachine: string | undefined, nameOrArn: string): Promise<ExecutionTasks> {
  const sfn = await ctx.sfn();
  // No --state-machine: the stack's (CloudFormation names it), as every other command does.
  const machine = await resolveStateMachine(sfn, stateMachine ?? (await openWorkflow(ctx)).stateMachineArn);
  const executionArn = resolveExecutionArn(machine.arn, nameOrArn);
  const described = await Promise.all([
    sfn.describeExecution(executionArn),
    sfn.definitionForExecution(executionArn),
    sfn.fullHistory(executionArn),
  ]).catch((error) => {
    if ((error as { name?: string }).name === "ExecutionDoesNotExist") {
      throw new NotFoundError(`Execution ${nameOrArn} does not exist in ${machine.name}.`, undefined, error);
    }
    throw toUserError(error, "Reading the execution");
  });
  const [execution, forExecution, events] = described;
  const definition = definitionDocument(forExecution.definition ?? "{}");
  const item = { executionArn, name: execution.name, startDate: execution.startDate };
  const open = execution.status === "RUNNING" ? openTasks(events, definition) : [];
  const tasks: RoutedTask[] = [];
  for (const task of waitingIn(item, definition, open)) {
    tasks.push({ ...task, routes: await routesAfter(definition, task.task.path) });
  }
  return {
    machine,
    name: execution.name ?? nameOrArn,
    executionArn,
    status: execution.status ?? "UNKNOWN",
    startDate: execution.startDate,
    definition,
    tasks,
  };
}
