import { type ListFilterText, reachedLimit } from "../core/executions/list-filter.js";
import { listMachineExecutions, parseMachineListFlags } from "../core/machine/list-machine.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { safeText } from "../lib/safe-text.js";
import { fitTable } from "../output/fit.js";
import { relativeTime } from "../output/format.js";
import { suggestionLines } from "../output/suggestions.js";
import type { CommandContext } from "./context.js";

/** `approvals list --state-machine <name|ARN>`: any state machine's executions, newest first, with their status. */
export async function listMachine(ctx: CommandContext, stateMachine: string, flags: ListFilterText): Promise<number> {
  const filter = parseMachineListFlags(flags, ctx.now());
  const progress = ctx.out.progress("Reading executions…");
  const executions = await listMachineExecutions(ctx, stateMachine, filter).finally(() => progress.stop());
  if (ctx.out.json) {
    ctx.out.jsonResult(executions);
    return 0;
  }
  if (executions.length === 0) {
    ctx.out.result(safeText(`No executions${filter.status ? ` ${filter.status}` : ""} in ${stateMachine}.`));
    return 0;
  }
  const now = ctx.now();
  const rows = executions.map((e) => [
    e.name,
    e.status,
    relativeTime(new Date(e.startDate), now),
    e.stopDate ? relativeTime(new Date(e.stopDate), now) : "-",
  ]);
  const lines = fitTable(
    ["NAME", "STATUS", "STARTED", "STOPPED"].map((head) => ({ head })),
    rows,
    ctx.out.width,
  );
  lines[0] = ctx.out.style.bold(lines[0] ?? "");
  for (const line of lines) ctx.out.result(line);
  const more = reachedLimit(executions.length, filter) ? ` (the newest ${executions.length}; --limit shows more)` : "";
  const details = suggestionLines(`${executions.length} listed${more}. Tasks and branches with:`, [
    suggestCommand(ctx, ["show", placeholder("name"), "--state-machine", stateMachine], { stack: false }),
  ]);
  for (const line of details) ctx.out.info(ctx.out.style.dim(safeText(line)));
  return 0;
}
