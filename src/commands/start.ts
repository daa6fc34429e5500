import { randomUUID } from "node:crypto";
import type { Handler } from "../context.js";
import { validateExecutionName } from "../core/executions/names.js";
import { startExecution } from "../core/executions/start.js";
import { readExecutionInput } from "../core/input.js";
import { safeText } from "../output/safe-text.js";

interface StartOptions {
  /** `--input <file|->`: required. */
  input: string;
  /** `--name`: default a random UUID, as the console does. */
  name?: string;
}

/** `approvals start`: start an execution with validated JSON input. */
export const handler: Handler<[], StartOptions> = async (ctx, _args, options) => {
  // Everything local is checked before the first request.
  if (options.name !== undefined) validateExecutionName(options.name);
  const input = await readExecutionInput(options.input, ctx.out.streams.stdin);
  const result = await startExecution(ctx, { name: options.name ?? randomUUID(), input });
  if (ctx.out.json) {
    ctx.out.jsonResult(result);
  } else {
    ctx.out.result(`Started ${safeText(result.name)}`);
    ctx.out.result(`  ${safeText(result.executionArn)}`);
    ctx.out.info(ctx.out.style.dim("Next: approvals pending"));
  }
  return 0;
};
