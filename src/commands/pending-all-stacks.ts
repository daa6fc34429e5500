import { rememberNames } from "../completion/cache.js";
import { listWaitingAcrossStacks } from "../core/executions/across-stacks.js";
import { suggestCommand } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { pendingJson } from "../output/pending-json.js";
import { printPendingTable } from "../output/pending-table.js";
import { suggestionLines } from "../output/suggestions.js";
import type { CommandContext } from "./context.js";
import { watchPending } from "./pending-watch.js";

/**
 * `approvals pending --all-stacks`: the waiting executions of every human-approval stack in one
 * table; with `--watch`, that table kept up to date (`intervalMs` apart).
 */
export async function pendingAllStacks(
  ctx: CommandContext,
  options: { links?: boolean; cache?: boolean; stackNameGiven?: boolean; watch?: boolean; bell?: boolean },
  intervalMs: number,
): Promise<number> {
  const { out } = ctx;
  if (options.stackNameGiven) {
    throw new UsageError(
      "--all-stacks reads every stack: leave out --stack-name.",
      `Example: ${suggestCommand(ctx, ["pending", "--all-stacks"], { stack: false })}`,
    );
  }
  if (options.watch) return watchPending(ctx, options, intervalMs, { allStacks: true });
  const progress = out.progress("Finding the human-approval stacks…");
  const found = await listWaitingAcrossStacks(ctx, { cache: options.cache }).finally(() => progress.stop());
  if (options.cache !== false) for (const { stackName, pending } of found.listed) await rememberNames(ctx, stackName, pending);
  for (const s of found.skipped) out.debug(`pending: skipped stack ${s.stackName}: ${s.reason}`);
  for (const f of found.failures) out.warn(`stack ${f.stackName} was not read: ${f.error.message}`);
  const code = found.exitCode;
  const entryOf = new Map(found.entries.map((e) => [e.pending.executionArn, e]));
  if (out.json) {
    out.jsonResult(found.entries.map((e) => ({ stack: e.stackName, ...pendingJson(e.pending, options.links ? e.links() : undefined) })));
    return code;
  }
  const names = found.stacks.map((s) => s.stackName);
  if (names.length === 0) {
    out.result("No human-approval stacks in this account and region.");
    return code;
  }
  const stacks = `${names.length} human-approval stack${names.length === 1 ? "" : "s"}`;
  if (found.entries.length === 0) {
    out.result(`No executions are waiting for a decision in the ${stacks} (${names.join(", ")}).`);
    return code;
  }
  printPendingTable(
    out,
    found.entries.map((e) => e.pending),
    {
      now: ctx.now(),
      stackOf: (p) => entryOf.get(p.executionArn)?.stackName ?? "",
      links: options.links ? (p) => entryOf.get(p.executionArn)?.links() ?? { approve: "", reject: "" } : undefined,
    },
  );
  // The names say their stack: the commands carry the profile, region and endpoint only.
  const decide = ["approve", "reject"].map((kind) => suggestCommand(ctx, [kind, { placeholder: "<stack>/<name>" }], { stack: false }));
  for (const line of suggestionLines(`${found.entries.length} waiting in ${stacks}. Decide with:`, decide)) out.info(out.style.dim(line));
  return code;
}
