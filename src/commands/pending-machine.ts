import { rememberMachines } from "../completion/cache.js";
import { listWaitingTasks } from "../core/machine/list-tasks.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { safeText } from "../lib/safe-text.js";
import { suggestionLines } from "../output/suggestions.js";
import { waitingTaskJson, waitingTaskLines } from "../output/task-views.js";
import type { CommandContext } from "./context.js";

/** `approvals pending --state-machine <name|ARN>`: one row per callback task waiting in any state machine. */
export async function pendingMachine(ctx: CommandContext, stateMachine: string, options: { cache?: boolean }): Promise<number> {
  const progress = ctx.out.progress("Reading waiting tasks…");
  const { machine, tasks, report, cachePath, callbackTasks } = await listWaitingTasks(ctx, stateMachine, options).finally(() =>
    progress.stop(),
  );
  if (options.cache !== false) await rememberMachines(ctx, [machine.name], false);
  ctx.out.debug(
    `pending: ${report.running} running, ${report.verified} verified, ${report.read} read${cachePath ? ` (cache ${cachePath})` : ""}`,
  );
  if (ctx.out.json) {
    ctx.out.jsonResult(tasks.map(waitingTaskJson));
    return 0;
  }
  if (tasks.length === 0) {
    const why = callbackTasks === 0 ? ": its definition has no task that waits for a token (.waitForTaskToken)" : "";
    ctx.out.result(safeText(`No tasks are waiting for an answer in ${machine.name}${why}.`));
    return 0;
  }
  for (const line of waitingTaskLines(ctx.out, tasks, ctx.now())) ctx.out.result(line);
  const words = ["--state-machine", stateMachine];
  const next = [
    suggestCommand(ctx, ["show", placeholder("execution"), ...words], { stack: false }),
    suggestCommand(ctx, ["decide", placeholder("execution"), "--to", placeholder("State"), ...words], { stack: false }),
  ];
  const lead = `${tasks.length} waiting. Branches with \`show\`; answer with \`decide\`:`;
  for (const line of suggestionLines(lead, next)) ctx.out.info(ctx.out.style.dim(safeText(line)));
  return 0;
}
