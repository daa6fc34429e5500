// What a command handler gets: the use cases' context and the output it renders to.
import type { Context } from "../context.js";
import type { Output } from "../output/output.js";
import type { CommonOptions } from "./common.spec.js";

/** What a command handler gets: the context and the output it renders to. */
export interface CommandContext extends Context {
  out: Output;
}

/** A command handler: returns the process exit code. */
export type Handler<A extends unknown[] = string[], O = Record<string, unknown>> = (
  ctx: CommandContext,
  args: A,
  options: O & CommonOptions,
) => Promise<number>;

/** The context with `out` for a command. */
export function commandContext(ctx: Context, out: Output): CommandContext {
  return { ...ctx, out };
}
