import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import { readDefinition, requireApprovalStack } from "../stack/find.js";
import { type KnownStack, openStackMemory, type StackMemory } from "../stack/known-stack.js";
import { parseWorkflow } from "./definition.js";
import type { OpenWorkflow } from "./open.js";

/** {@link openWorkflowWith}'s result: the workflow, what ran alongside, and whether the stack's memory held. */
export interface OpenedWith<T> extends OpenWorkflow {
  alongside: T;
  /** True when the remembered stack and definition held: CloudFormation was not asked. */
  warm: boolean;
}

/**
 * Open the workflow and run `alongside` (e.g. listing RUNNING executions) on its state machine in the
 * same round trip. Warm, with the stack remembered by an earlier run, that is two requests in
 * parallel: DescribeStateMachine, whose definition must equal the remembered one, and `alongside`.
 * Anything else (no memory, another definition, a state machine gone, a failed request) falls back
 * to the full read: DescribeStacks, then the definition and `alongside` in parallel. A stack that no
 * longer exists is forgotten, with the waiting executions remembered for it.
 */
export async function openWorkflowWith<T>(
  ctx: Context,
  alongside: (sfn: StepFunctions, stateMachineArn: string) => Promise<T>,
  options: { cache?: boolean } = {},
): Promise<OpenedWith<T>> {
  const sfn = await ctx.sfn();
  const memory = options.cache === false ? undefined : await openStackMemory(ctx, sfn);
  const known = memory?.known;
  let reusable: { arn: string; value: T } | undefined;
  if (known) {
    const arn = known.stack.outputs.StateMachineHumanApprovalArn as string;
    const [definition, value] = await Promise.allSettled([readDefinition(sfn, arn, ctx), alongside(sfn, arn)]);
    if (value.status === "fulfilled") {
      if (definition.status === "fulfilled" && definition.value.active && definition.value.definition === known.definition) {
        return { ...fromKnown(known, sfn), alongside: value.value, warm: true };
      }
      reusable = { arn, value: value.value };
    }
  }
  const stack = await requireStack(ctx, memory);
  const stateMachineArn = stack.outputs.StateMachineHumanApprovalArn as string;
  const [{ definition }, value] = await Promise.all([
    readDefinition(sfn, stateMachineArn, ctx),
    reusable?.arn === stateMachineArn ? reusable.value : alongside(sfn, stateMachineArn),
  ]);
  const workflow = parseWorkflow(definition);
  await memory?.remember(stack, definition);
  return { stack, stateMachineArn, workflow, sfn, alongside: value, warm: false };
}

/**
 * The workflow as an earlier run left it, without any request: for decisions, which read the
 * definition each execution runs on anyway. Undefined when nothing is remembered.
 */
export async function recalledWorkflow(ctx: Context): Promise<OpenWorkflow | undefined> {
  const sfn = await ctx.sfn();
  const known = (await openStackMemory(ctx, sfn))?.known;
  if (!known) return undefined;
  try {
    return fromKnown(known, sfn);
  } catch {
    return undefined;
  }
}

function fromKnown(known: KnownStack, sfn: StepFunctions): OpenWorkflow {
  const stateMachineArn = known.stack.outputs.StateMachineHumanApprovalArn as string;
  return { stack: known.stack, stateMachineArn, workflow: parseWorkflow(known.definition), sfn };
}

async function requireStack(ctx: Context, memory: StackMemory | undefined) {
  try {
    return await requireApprovalStack(await ctx.cloudFormation(), ctx);
  } catch (error) {
    if (error instanceof NotFoundError) await memory?.forget();
    throw error;
  }
}
