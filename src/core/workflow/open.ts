import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import { describeMachine, type MachineDefinition, resolveStateMachine } from "../machine/resolve.js";
import { type ApprovalStack, readDefinition, requireApprovalStack } from "../stack/find.js";
import { type KnownStack, openStackMemory, type StackMemory } from "../stack/known-stack.js";
import { parseWorkflow, type Workflow } from "./definition.js";

/** The deployed stack, its state machine and the workflow its definition describes. */
export interface OpenWorkflow {
  stack: ApprovalStack;
  stateMachineArn: string;
  workflow: Workflow;
  sfn: StepFunctions;
}

/** Options of {@link openWorkflow}. */
export interface OpenOptions<T> {
  /**
   * A read of the state machine to run in the same round trip as its definition (`pending`: the
   * RUNNING list). Default none.
   */
  alongside?: (sfn: StepFunctions, stateMachineArn: string) => Promise<T>;
  /**
   * What an earlier run remembered of the stack: `check` uses it when the deployed definition is
   * still the remembered one (no DescribeStacks) and remembers what a full read found; `trust` uses
   * it without a request (decisions, which read the definition each execution runs on anyway);
   * `off` reads the stack and definition afresh. Default `off`.
   */
  memory?: "check" | "trust" | "off";
  /** The stack as already described (`pending --all-stacks` read every stack at once): not described again. Default none. */
  described?: ApprovalStack;
  /**
   * Any state machine instead of the stack's (`--state-machine`): a name or an ARN, read with
   * `states:` calls only, as a definition with callback tasks at any depth. Default: the stack's.
   */
  stateMachine?: string;
}

/** {@link openWorkflow}'s result: the workflow, what ran alongside, and whether the stack's memory was used. */
export interface OpenedWorkflow<T> extends OpenWorkflow {
  alongside: T;
  /** True when the remembered stack was used: CloudFormation was not asked. */
  warm: boolean;
}

/** {@link openWorkflow}'s result for `stateMachine`: the state machine, its definition, what ran alongside. */
export interface OpenedMachine<T> extends MachineDefinition {
  sfn: StepFunctions;
  alongside: T;
}

/**
 * Open a workflow: find its state machine and read its definition, with `alongside` in the same
 * round trip. With `stateMachine`, any state machine: a name is found with ListStateMachines (an
 * ARN is used as given), then DescribeStateMachine runs beside `alongside`. Otherwise the stack's,
 * below.
 */
export function openWorkflow<T = undefined>(ctx: Context, options: OpenOptions<T> & { stateMachine: string }): Promise<OpenedMachine<T>>;
/**
 * Resolve the stack's outputs and read the deployed definition: the start of every use case of the
 * stack's workflow. With `memory: "check"`, a run after one that remembered the stack is two
 * requests in parallel: DescribeStateMachine, whose definition must be the remembered text, and
 * `alongside`. Anything else (no memory, another definition, a state machine gone, a failed request)
 * falls back to the full read: DescribeStacks (unless `described`), then the definition and
 * `alongside` in parallel. A stack that no longer exists is forgotten, with its waiting tasks.
 */
export function openWorkflow<T = undefined>(ctx: Context, options?: OpenOptions<T>): Promise<OpenedWorkflow<T>>;
export async function openWorkflow<T = undefined>(
  ctx: Context,
  options: OpenOptions<T> = {},
): Promise<OpenedWorkflow<T> | OpenedMachine<T>> {
  const sfn = await ctx.sfn();
  const alongside = options.alongside ?? (async () => undefined as T);
  if (options.stateMachine !== undefined) {
    const machine = await resolveStateMachine(sfn, options.stateMachine);
    const [definition, value] = await Promise.all([describeMachine(sfn, machine), alongside(sfn, machine.arn)]);
    return { ...definition, sfn, alongside: value };
  }
  const mode = options.memory ?? "off";
  const memory = mode === "off" ? undefined : await openStackMemory(ctx);
  const known = memory?.known;
  if (mode === "trust" && known) {
    const recalled = fromKnown(known, sfn);
    if (recalled) return { ...recalled, alongside: await alongside(sfn, recalled.stateMachineArn), warm: true };
  }
  let reusable: { arn: string; value: T } | undefined;
  if (mode === "check" && known && !options.described) {
    const arn = known.stack.outputs.StateMachineHumanApprovalArn as string;
    const [definition, value] = await Promise.allSettled([readDefinition(sfn, arn, ctx), alongside(sfn, arn)]);
    if (value.status === "fulfilled") {
      const same = definition.status === "fulfilled" && definition.value.active && definition.value.definition === known.definition;
      const recalled = same ? fromKnown(known, sfn) : undefined;
      if (recalled) return { ...recalled, alongside: value.value, warm: true };
      reusable = { arn, value: value.value };
    }
  }
  const stack = options.described ?? (await requireStack(ctx, memory));
  const stateMachineArn = stack.outputs.StateMachineHumanApprovalArn as string;
  const [{ definition }, value] = await Promise.all([
    readDefinition(sfn, stateMachineArn, ctx),
    reusable?.arn === stateMachineArn ? reusable.value : alongside(sfn, stateMachineArn),
  ]);
  const workflow = parseWorkflow(definition);
  if (mode === "check") await memory?.remember(stack, definition);
  return { stack, stateMachineArn, workflow, sfn, alongside: value, warm: false };
}

/** The workflow as an earlier run left it; undefined when its definition no longer reads as one. */
function fromKnown(known: KnownStack, sfn: StepFunctions): OpenWorkflow | undefined {
  try {
    const stateMachineArn = known.stack.outputs.StateMachineHumanApprovalArn as string;
    return { stack: known.stack, stateMachineArn, workflow: parseWorkflow(known.definition), sfn };
  } catch {
    return undefined;
  }
}

async function requireStack(ctx: Context, memory: StackMemory | undefined): Promise<ApprovalStack> {
  try {
    return await requireApprovalStack(await ctx.cloudFormation(), ctx);
  } catch (error) {
    if (error instanceof NotFoundError) await memory?.forget();
    throw error;
  }
}
