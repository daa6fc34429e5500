import { rememberNames } from "../completion/cache.js";
import { listWaiting } from "../core/executions/list-waiting.js";
import { checkStateMachineOption } from "../core/machine/resolve.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { pendingJson } from "../output/pending-json.js";
import { suggestionLines } from "../output/suggestions.js";
import type { HandlerOf } from "./define.js";
import type { pending } from "./pending.spec.js";
import { watchInterval, watchPending } from "./pending-watch.js";

/** `approvals pending`: the executions waiting at the callback state. */
export const handler: HandlerOf<typeof pending> = async (ctx, _args, options) => {
  const intervalMs = watchInterval(options, ctx);
  checkStateMachineOption(options.stateMachine, options.stackNameGiven);
  if (options.allStateMachines) {
    const other =
      options.stateMachine !== undefined
        ? "--state-machine"
        : options.stackNameGiven
          ? "--stack-name"
          : options.allStacks
            ? "--all-stacks"
            : options.watch
              ? "--watch"
              : options.links
                ? "--links"
                : undefined;
    if (other) throw new UsageError(`--all-state-machines reads every state machine of the region, once: leave out ${other}.`);
    return (await import("./pending-all-machines.js")).pendingAllMachines(ctx, { cache: options.cache });
  }
  if (options.stateMachine !== undefined) {
    if (options.links) throw new UsageError("--links gives the stack's approval page links: a state machine of your own has none.");
    if (options.allStacks) throw new UsageError("--state-machine reads one state machine: leave out --all-stacks.");
    if (options.watch) {
      const { watchMachine } = await import("./pending-machine-watch.js");
      return watchMachine(ctx, options.stateMachine, { intervalMs, bell: options.bell, cache: options.cache });
    }
    return (await import("./pending-machine.js")).pendingMachine(ctx, options.stateMachine, { cache: options.cache });
  }
  if (options.allStacks) return (await import("./pending-all-stacks.js")).pendingAllStacks(ctx, options, intervalMs);
  if (options.watch) return watchPending(ctx, options, intervalMs);
  const progress = ctx.out.progress("Reading waiting executions…");
  const { pending, report: r, cachePath, linksOf } = await listWaiting(ctx, { cache: options.cache }).finally(() => progress.stop());
  // Shell completion offers these names (see `approvals completion`); `--no-cache` writes no file at all.
  if (options.cache !== false) await rememberNames(ctx, ctx.stackName, pending);
  if (r) {
    ctx.out.debug(
      `pending: ${r.running} running, ${r.remembered} remembered, ${r.verified} verified, ${r.read} read, ${r.dropped} forgotten${cachePath ? ` (cache ${cachePath})` : ""}`,
    );
  }
  if (ctx.out.json) {
    ctx.out.jsonResult(pending.map((p) => pendingJson(p, options.links ? linksOf(p) : undefined)));
    return 0;
  }
  if (pending.length === 0) {
    ctx.out.result(`No executions are waiting for a decision in ${ctx.stackName}.`);
    return 0;
  }
  // The table (cli-table3, string-width) loads only when one is drawn: `--json` spares it.
  const { printPendingTable } = await import("../output/pending-table.js");
  printPendingTable(ctx.out, pending, { now: ctx.now(), links: options.links ? linksOf : undefined });
  const decide = ["approve", "reject"].map((kind) => suggestCommand(ctx, [kind, placeholder("name")]));
  for (const line of suggestionLines(`${pending.length} waiting. Decide with:`, decide)) ctx.out.info(ctx.out.style.dim(line));
  return 0;
};
