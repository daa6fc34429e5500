import { executionName } from "../core/executions/names.js";
import { readExecutionTasks } from "../core/machine/execution-tasks.js";
import { safeJson } from "../lib/safe-text.js";
import { executionTasksJson, printExecutionTasks } from "../output/task-views.js";
import type { CommandContext } from "./context.js";

/** `approvals show <execution> --state-machine <name|ARN>`: the waiting tasks, each branch and the output that takes it. */
export async function showMachine(ctx: CommandContext, stateMachine: string, name: string): Promise<number> {
  const progress = ctx.out.progress(`Reading ${executionName(name)}…`);
  const view = await readExecutionTasks(ctx, stateMachine, name).finally(() => progress.stop());
  if (ctx.out.json) {
    ctx.out.result(safeJson(JSON.stringify(executionTasksJson(view), null, 2)));
    return 0;
  }
  printExecutionTasks(ctx.out, view, { ...ctx, stateMachine }, ctx.now());
  return 0;
}
