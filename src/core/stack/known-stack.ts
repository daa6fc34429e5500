import type { Context } from "../../context.js";
import { removeWaitingCache } from "../executions/waiting-cache.js";
import { openSection, removeSection, section, storeScope } from "../store.js";
import type { ApprovalStack } from "./find.js";

/**
 * What a run remembers of a stack, so the next one need not ask CloudFormation: its outputs (the
 * state machine ARN and the API URL) and the definition deployed then. A warm run checks the
 * definition against the state machine in the same round trip as its real work, and anything that
 * no longer matches sends it back to a full read: the memory only ever saves calls.
 */
export interface KnownStack {
  stack: ApprovalStack;
  /** The deployed definition, as DescribeStateMachine returned it: a warm run compares the text itself. */
  definition: string;
}

/** One stack's memory: what is known, and how to replace or forget it. */
export interface StackMemory {
  known: KnownStack | undefined;
  /** Remember what a full read found; drops the waiting executions of a state machine the stack no longer has. */
  remember(stack: ApprovalStack, definition: string): Promise<void>;
  /** The stack no longer exists: forget it and the waiting executions of its state machine. */
  forget(): Promise<void>;
}

const KEY = "stack";
/** The store's section of stacks, one file per stack name. */
const STACK = section("stack", isKnownStack);

/**
 * Open the memory of the run's stack in the run's store scope (endpoint, region as the client
 * resolved it, profile). Undefined when the run may not use the cache directory.
 */
export async function openStackMemory(ctx: Context): Promise<StackMemory | undefined> {
  const scope = await storeScope(ctx);
  if (!scope) return undefined;
  const options = { env: ctx.env };
  const cache = await openSection(scope, STACK, ctx.stackName, options);
  const remembered = cache.get(KEY);
  // The file is this stack's; what it holds must be too (not written by hand, copied, or by a faulty version).
  const known = remembered && [remembered.stack.stackName, remembered.stack.stackId].includes(ctx.stackName) ? remembered : undefined;
  const dropWaiting = async (stateMachineArn: string | undefined) => {
    if (stateMachineArn) await removeWaitingCache(scope, stateMachineArn, options);
  };
  return {
    known,
    async remember(stack, definition) {
      const previous = known?.stack.outputs.StateMachineHumanApprovalArn;
      if (previous !== stack.outputs.StateMachineHumanApprovalArn) await dropWaiting(previous);
      if (known && known.definition === definition && JSON.stringify(known.stack) === JSON.stringify(stack)) return;
      cache.set(KEY, { stack, definition });
      await cache.save();
    },
    async forget() {
      if (!known) return;
      await dropWaiting(known.stack.outputs.StateMachineHumanApprovalArn);
      await removeSection(scope, STACK, ctx.stackName, options);
    },
  };
}

function isKnownStack(value: unknown): value is KnownStack {
  const v = value as Partial<KnownStack> | null;
  const stack = v?.stack as Partial<ApprovalStack> | undefined;
  return (
    typeof v?.definition === "string" &&
    typeof stack?.stackName === "string" &&
    typeof stack.stackId === "string" &&
    typeof stack.status === "string" &&
    isStrings(stack.outputs) &&
    isStrings(stack.parameters) &&
    typeof stack.outputs.StateMachineHumanApprovalArn === "string" &&
    typeof stack.outputs.ApiGatewayInvokeURL === "string"
  );
}

function isStrings(value: unknown): value is Record<string, string> {
  return typeof value === "object" && value !== null && Object.values(value).every((v) => typeof v === "string");
}
