import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { awsErrorName, NotApprovalWorkflowError, NotFoundError } from "../../errors.js";
import type { RoutedTask } from "../machine/execution-tasks.js";
import { waitingIn } from "../machine/list-tasks.js";
import { openTasks } from "../machine/open-tasks.js";
import { loadExecutionWorkflow } from "../stack/find.js";
import { suggestCommand } from "../suggest.js";
import type { Workflow } from "../workflow/definition.js";
import { allStateNames } from "../workflow/graph.js";
import { openWorkflow } from "../workflow/open.js";
import { routesAfter } from "../workflow/routes.js";
import { type ReadBackDecision, readBackDecision } from "./decided-by.js";
import { type ExecutionReport, executionReport, tokensIn } from "./execution-report.js";
import { executionName, resolveExecutionArn } from "./names.js";
import { parseNamedExecution } from "./targets.js";
import { expiryOf } from "./waiting.js";

/** Everything `show` prints, built once: the text view and `--json` render the same model. */
export interface ExecutionView {
  /** The stack the execution belongs to: `--stack-name`'s, or the one a `stack/execution` name gave. */
  stackName: string;
  report: ExecutionReport;
  /**
   * The workflow the graph is drawn from: the definition this execution runs on, which predates an
   * update of the stack for an execution started before it; the deployed one if that definition is
   * not an approval workflow this tool can read.
   */
  workflow: Workflow;
  /** Every task token in the history: redacted from anything printed. */
  tokens: string[];
  /** While it waits at the callback state: since when, and when its timeouts end it (if they do). */
  waiting?: { since: Date; expiresAt: Date | undefined };
  /** The decision that closed its callback task, as recorded (undefined while it waits, or when it timed out). */
  decision?: ReadBackDecision;
  /** States it visited that the drawn definition does not have (only when the deployed one is drawn). */
  unknownStates: string[];
  /** The tasks waiting in it, each with where every answer leads (tokens inside: never print them). */
  tasks: RoutedTask[];
}

/**
 * `show`'s use case: describe an execution, read its whole history and the definition it runs on,
 * and mark that workflow with its path. `named` is an execution name or ARN of the `--stack-name`
 * stack, or `stack/execution` for another stack's (as `approve` takes them).
 */
export async function showExecution(runCtx: Context, named: string): Promise<ExecutionView> {
  const { stackName, name: nameOrArn } = parseNamedExecution(named, runCtx.stackName);
  // What is read and every command suggested act on the execution's own stack.
  const ctx = stackName === runCtx.stackName ? runCtx : { ...runCtx, stackName };
  const opened = await openWorkflow(ctx);
  const { sfn, stateMachineArn } = opened;
  const executionArn = resolveExecutionArn(stateMachineArn, nameOrArn);
  try {
    const [execution, events, ranOn] = await Promise.all([
      sfn.describeExecution(executionArn),
      sfn.fullHistory(executionArn),
      loadExecutionWorkflow(sfn, executionArn).catch((error: unknown) => {
        // A definition this tool cannot read as an approval workflow: draw the deployed one instead.
        if (error instanceof NotApprovalWorkflowError) return undefined;
        throw error;
      }),
    ]);
    const workflow = ranOn ?? opened.workflow;
    const report = executionReport(execution, events, workflow);
    const known = allStateNames(workflow.states);
    const definition = { StartAt: workflow.startAt, States: workflow.states, TimeoutSeconds: workflow.timeoutSeconds };
    const open = execution.status === "RUNNING" ? openTasks(events, definition) : [];
    const tasks: RoutedTask[] = [];
    const item = { executionArn, name: execution.name ?? "", startDate: execution.startDate };
    for (const task of waitingIn(item, definition, open)) tasks.push({ ...task, routes: await routesAfter(definition, task.task.path) });
    return {
      stackName,
      tasks,
      report,
      workflow,
      tokens: tokensIn(events),
      waiting: waitingOf(report, workflow),
      decision: readBackDecision(events, workflow),
      unknownStates: [...new Set(report.path.filter((state) => !known.has(state)))],
    };
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw new NotFoundError(
        `Execution ${executionName(executionArn)} does not exist.`,
        `List executions waiting with \`${suggestCommand(ctx, ["pending"])}\`.`,
        error,
      );
    }
    throw toUserError(error, `Reading execution ${executionName(executionArn)}`);
  }
}

function waitingOf(report: ExecutionReport, workflow: Workflow): ExecutionView["waiting"] {
  if (report.status !== "RUNNING" || report.currentState !== workflow.callbackState || !report.startDate) return undefined;
  const scheduled = [...report.timeline].reverse().find((e) => e.type === "TaskScheduled" && e.state === workflow.callbackState)?.timestamp;
  if (!scheduled) return undefined;
  const since = new Date(scheduled);
  return { since, expiresAt: expiryOf(new Date(report.startDate), workflow, since) };
}
