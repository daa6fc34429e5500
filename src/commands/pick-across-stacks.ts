import { listWaitingAcrossStacks } from "../core/executions/across-stacks.js";
import type { Verdict } from "../core/executions/decide.js";
import type { NamedExecution } from "../core/executions/targets.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { NotFoundError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";
import { leftUntil, summarizeInput } from "../output/format.js";
import type { CommandContext } from "./context.js";
import { pickRows } from "./verdict-prompts.js";

/**
 * `approve --all-stacks` with no execution named, at a terminal: pick from the executions waiting in
 * every human-approval stack of the region, newest first, one aligned line each (stack, name,
 * comment, time left).
 */
export async function pickAcrossStacks(ctx: CommandContext, kind: Verdict["kind"]): Promise<NamedExecution[]> {
  const progress = ctx.out.progress("Reading the waiting executions of every human-approval stack…");
  const found = await listWaitingAcrossStacks(ctx).finally(() => progress.stop());
  for (const f of found.failures) ctx.out.warn(`stack ${f.stackName} was not read: ${f.error.message}`);
  if (found.entries.length === 0) {
    throw new NotFoundError(
      found.stacks.length
        ? `No executions are waiting for a decision in any of the ${found.stacks.length} human-approval stacks.`
        : "No human-approval stacks in this account and region.",
      `Start one with \`${suggestCommand(ctx, ["start", "--input", placeholder("file"), "--stack-name", placeholder("stack")], { stack: false })}\`.`,
    );
  }
  const now = ctx.now();
  const rows = found.entries.map(({ stackName, pending: p }) => [
    stackName,
    p.name,
    summarizeInput(p.input, 40),
    p.expiresAt ? leftUntil(p.expiresAt, now) : "",
  ]);
  const table = [
    { head: "STACK", shrink: { order: 3, min: 12, cut: "middle" as const } },
    { head: "NAME", shrink: { order: 2, min: 14, cut: "middle" as const } },
    { head: "COMMENT", shrink: { order: 1, min: 8, cut: "end" as const } },
    { head: "TIME LEFT" },
  ];
  const values = found.entries.map((e) => ({
    value: { stackName: e.stackName, name: e.pending.name, qualified: true },
    short: safeText(`${e.stackName}/${e.pending.name}`),
  }));
  return pickRows(ctx, kind, table, rows, values);
}
