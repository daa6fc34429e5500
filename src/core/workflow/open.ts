import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { type ApprovalStack, loadWorkflow, requireApprovalStack } from "../stack/find.js";
import type { Workflow } from "./definition.js";

/** The deployed stack, its state machine and the workflow its definition describes. */
export interface OpenWorkflow {
  stack: ApprovalStack;
  stateMachineArn: string;
  workflow: Workflow;
  sfn: StepFunctions;
}

/** Resolve the stack's outputs and read the deployed definition: the start of every execution use case. */
export async function openWorkflow(ctx: Context): Promise<OpenWorkflow> {
  const stack = await requireApprovalStack(await ctx.cloudFormation(), ctx);
  const stateMachineArn = stack.outputs.StateMachineHumanApprovalArn as string;
  const sfn = await ctx.sfn();
  const workflow = await loadWorkflow(sfn, stateMachineArn, ctx);
  return { stack, stateMachineArn, workflow, sfn };
}
