import type { Context, Handler } from "../context.js";
import { confirmStack, type StackReport } from "../core/stack/checks.js";
import { requireApprovalStack } from "../core/stack/find.js";
import { printStackReport } from "../output/report.js";

/** Read the deployed stack and run every confirmation on it. */
export async function reportStack(ctx: Context): Promise<StackReport> {
  const cfn = await ctx.cloudFormation();
  const stack = await requireApprovalStack(cfn, ctx.stackName);
  return confirmStack({ cfn, sfn: await ctx.sfn(), sns: await ctx.sns() }, stack);
}

/** Print a report; exit 1 when a confirmation other than the pending subscription failed. */
export function renderReport(ctx: Context, report: StackReport): number {
  if (ctx.out.json) ctx.out.jsonResult(report);
  else printStackReport(ctx.out, report);
  const broken = report.checks.some((c) => !c.ok && c.name !== "email subscription");
  return broken ? 1 : 0;
}

/** `approvals outputs`: confirm the deployed stack without deploying. */
export const handler: Handler = async (ctx) => renderReport(ctx, await reportStack(ctx));
