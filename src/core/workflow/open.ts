import type { SFNClient } from "@aws-sdk/client-sfn";
import type { Context } from "../../context.js";
import { type ApprovalStack, loadWorkflow, requireApprovalStack } from "../stack/find.js";
import type { Workflow } from "./definition.js";

/** The deployed stack, its state machine and the workflow its definition describes. */
export interface OpenWorkflow {
  stack: ApprovalStack;
  stateMachineArn: string;
  workflow: Workflow;
  sfn: SFNClient;
}

/** Resolve the stack's outputs and read the deployed definition: the start of every execution command. */
export async function openWorkflow(ctx: Context): Promise<OpenWorkflow> {
  const stack = await requireApprovalStack(await ctx.cloudFormation(), ctx.stackName);
  const stateMachineArn = stack.outputs.StateMachineHumanApprovalArn as string;
  const sfn = await ctx.sfn();
  const workflow = await loadWorkflow(sfn, stateMachineArn);
  return { stack, stateMachineArn, workflow, sfn };
}

/** Poll interval for stack events: APPROVALS_POLL_MS, else a CloudFormation-friendly 2 s. */
export function stackPollInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.APPROVALS_POLL_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 2000;
}
