import { randomUUID } from "node:crypto";
import { validateExecutionName } from "../core/executions/names.js";
import { startExecution } from "../core/executions/start.js";
import { readExecutionInput } from "../core/input.js";
import { suggestCommand } from "../core/suggest.js";
import { safeText } from "../lib/safe-text.js";
import { suggestionLines } from "../output/suggestions.js";
import type { HandlerOf } from "./define.js";
import type { start } from "./start.spec.js";

/** `approvals start`: start an execution with validated JSON input. */
export const handler: HandlerOf<typeof start> = async (ctx, _args, options) => {
  // Everything local is checked before the first request.
  if (options.name !== undefined) validateExecutionName(options.name);
  const { stdin } = ctx.out;
  // At a terminal, a silent wait for input looks like a hang: say what it waits for.
  if (options.input === "-" && stdin.isTTY) ctx.out.info("Reading the input from standard input: end it with Ctrl-D (Ctrl-C cancels).");
  const input = await readExecutionInput(options.input, stdin, ctx.signal);
  const result = await startExecution(ctx, { name: options.name ?? randomUUID(), input });
  if (ctx.out.json) {
    ctx.out.jsonResult(result);
  } else {
    ctx.out.result(`Started ${safeText(result.name)}${result.replyLost ? " (its reply was lost, but the execution exists)" : ""}`);
    // At a terminal the ARN keeps both ends within the width (the execution's name ends it); a pipe or
    // --json has it whole. The measuring code loads only for a terminal too narrow for it.
    const width = ctx.out.width;
    let arn = safeText(result.executionArn);
    if (width !== undefined && arn.length > width - 2) {
      const { cut } = await import("../output/fit.js");
      arn = cut(arn, Math.max(20, width - 2), "middle");
    }
    ctx.out.result(`  ${arn}`);
    for (const line of suggestionLines("Next:", [suggestCommand(ctx, ["pending"])], ctx.out.errorWidth)) {
      ctx.out.info(ctx.out.style.dim(safeText(line)));
    }
  }
  return 0;
};
