import { DEFAULT_INTERVAL_MS, MIN_INTERVAL_MS, type WatchSnapshot, watchWaiting } from "../core/executions/watch-waiting.js";
import { type Scope, suggestCommand } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import type { CommonOptions } from "./common.spec.js";
import type { CommandContext } from "./context.js";
import type { CommandOptions } from "./define.js";
import type { pending } from "./pending.spec.js";

/** `pending`'s options that concern watching. */
export type WatchFlags = Partial<Pick<CommandOptions<typeof pending>, "watch" | "interval" | "bell" | "links" | "cache">> &
  Pick<CommonOptions, "json">;

/**
 * Check the watch options before anything is sent; returns the interval in ms. An interval below
 * {@link MIN_INTERVAL_MS} is refused rather than quietly stretched: the user learns the floor once.
 * `scope` (the Context) makes the commands the errors suggest act on the same stack.
 */
export function watchInterval(flags: WatchFlags, scope: Scope): number {
  if (!flags.watch) {
    const stray = flags.interval !== undefined ? "--interval" : flags.bell ? "--bell" : undefined;
    if (stray)
      throw new UsageError(
        `${stray} only applies with --watch.`,
        `Example: ${suggestCommand(scope, ["pending", "--watch", "--interval", "30"])}`,
      );
    return DEFAULT_INTERVAL_MS;
  }
  if (flags.json) throw new UsageError("--watch cannot be combined with --json.", "In a pipe --watch prints one line per change.");
  if (flags.links)
    throw new UsageError(
      "--watch cannot be combined with --links.",
      `Print the links once with: ${suggestCommand(scope, ["pending", "--links"])}`,
    );
  if (flags.interval === undefined) return DEFAULT_INTERVAL_MS;
  const seconds = /^\d+(\.\d+)?$/.test(flags.interval) ? Number(flags.interval) : Number.NaN;
  if (!(seconds <= 3600)) {
    throw new UsageError(`--interval ${JSON.stringify(flags.interval)} is not a number of seconds up to 3600.`, "Example: --interval 30");
  }
  if (seconds * 1000 < MIN_INTERVAL_MS) {
    throw new UsageError(
      `--interval ${flags.interval} is below the ${MIN_INTERVAL_MS / 1000} s floor.`,
      "ListExecutions refills 2 calls a second per account in most regions, shared with every other caller.",
    );
  }
  return Math.round(seconds * 1000);
}

/**
 * `pending --watch`: at a terminal a table redrawn in place (time left ticking each second), ended
 * executions noted above it; in a pipe one line per change. Ctrl-C ends it with exit 0. With
 * `allStacks`, every human-approval stack's executions, in the one table with their stack.
 */
export async function watchPending(
  ctx: CommandContext,
  flags: WatchFlags,
  intervalMs: number,
  options: { allStacks?: boolean } = {},
): Promise<number> {
  const { out } = ctx;
  // The live view measures text columns (string-width's tables): loaded only by a watch.
  const { changeLines, LiveView } = await import("../output/watch-view.js");
  const live = out.stdoutIsTerminal && ctx.env.TERM !== "dumb";
  const view = live ? new LiveView(out, intervalMs, Boolean(flags.bell)) : undefined;
  const ticker = view ? setInterval(() => view.redraw(ctx.now()), 1000) : undefined;
  // In a pipe, the interval is told whenever the number of stacks stretches it (or lets it shrink back).
  let told = intervalMs;
  const show = (snapshot: WatchSnapshot) => {
    if (view) return view.update(snapshot, ctx.now());
    const everyMs = snapshot.intervalMs ?? intervalMs;
    const every = everyMs / 1000;
    if (everyMs !== told) {
      told = everyMs;
      out.info(
        out.style.dim(
          snapshot.intervalMs ? `Refreshing every ${every} s: ${MIN_INTERVAL_MS / 1000} s for each stack.` : `Refreshing every ${every} s.`,
        ),
      );
    }
    for (const line of changeLines(snapshot)) out.result(line);
    if (snapshot.error) out.warn(`refresh failed, trying again in ${every} s: ${snapshot.error.message}`);
  };
  const what = options.allStacks ? "every human-approval stack" : ctx.stackName;
  const intro = `Watching ${what} every ${intervalMs / 1000} s: + started waiting, - stopped. Ctrl-C stops.`;
  // At a terminal this line also keeps the redrawn frame off the screen's top line: erasing from the
  // top-left corner, tmux moves the whole screen into the scrollback, a copy of the frame a second.
  out.info(out.style.dim(view ? view.fit(intro) : intro));
  // Across stacks the discovery loads only for such a watch.
  const watch = options.allStacks ? (await import("../core/executions/watch-across-stacks.js")).watchWaitingAcrossStacks : watchWaiting;
  try {
    for await (const snapshot of watch(ctx, { intervalMs, cache: flags.cache })) show(snapshot);
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
  } finally {
    if (ticker) clearInterval(ticker);
  }
  // At a terminal the ^C the terminal echoed sits at the start of the line: end that line first.
  out.info(`${view ? "\n" : ""}Stopped watching.`);
  return 0;
}
