import { rememberMachines } from "../completion/cache.js";
import { listTasksAcrossMachines } from "../core/machine/across-machines.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { suggestionLines } from "../output/suggestions.js";
import { waitingTaskJson, waitingTaskLines } from "../output/task-views.js";
import type { CommandContext } from "./context.js";

/** `approvals pending --all-state-machines`: the waiting tasks of every state machine of the region with a callback task. */
export async function pendingAllMachines(ctx: CommandContext, options: { cache?: boolean }): Promise<number> {
  const progress = ctx.out.progress("Reading every state machine's waiting tasks…");
  const { machines, tasks, report } = await listTasksAcrossMachines(ctx, options).finally(() => progress.stop());
  // Shell completion offers these after --state-machine; `--no-cache` writes no file at all.
  if (options.cache !== false)
    await rememberMachines(
      ctx,
      machines.map((m) => m.name),
      true,
    );
  const r = report;
  ctx.out.debug(
    `pending: ${r.machines} state machines, ${r.described} described, ${r.withCallbacks} with a callback task and running executions; ${r.running} running, ${r.verified} verified, ${r.read} read`,
  );
  if (ctx.out.json) {
    ctx.out.jsonResult(tasks.map((t) => ({ stateMachine: t.machine.name, stateMachineArn: t.machine.arn, ...waitingTaskJson(t) })));
    return 0;
  }
  if (tasks.length === 0) {
    ctx.out.result(`No tasks are waiting for an answer in the region's ${machines.length} state machines.`);
    return 0;
  }
  for (const line of waitingTaskLines(ctx.out, tasks, ctx.now(), (t) => (t as (typeof tasks)[number]).machine.name)) ctx.out.result(line);
  const words = ["--state-machine", placeholder("state machine")];
  const next = [
    suggestCommand(ctx, ["show", placeholder("execution"), ...words], { stack: false }),
    suggestCommand(ctx, ["decide", placeholder("execution"), "--to", placeholder("State"), ...words], { stack: false }),
  ];
  for (const line of suggestionLines(`${tasks.length} waiting. Branches with \`show\`; answer with \`decide\`:`, next)) {
    ctx.out.info(ctx.out.style.dim(line));
  }
  return 0;
}
