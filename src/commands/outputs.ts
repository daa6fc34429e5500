import { checkDeployedStack, type StackReport } from "../core/stack/checks.js";
import { printStackReport } from "../output/stack-report.js";
import type { CommandContext } from "./context.js";
import type { HandlerOf } from "./define.js";
import type { outputs } from "./outputs.spec.js";

/** Print a report; exit 1 when a confirmation other than the pending subscription failed. */
export function renderReport(ctx: CommandContext, report: StackReport): number {
  if (ctx.out.json) ctx.out.jsonResult(report);
  else printStackReport(ctx.out, report, ctx.out.width);
  const broken = report.checks.some((c) => !c.ok && c.name !== "email subscription");
  return broken ? 1 : 0;
}

/** `approvals outputs`: confirm the deployed stack without deploying. */
export const handler: HandlerOf<typeof outputs> = async (ctx) => renderReport(ctx, await checkDeployedStack(ctx));
