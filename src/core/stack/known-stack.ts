import { createHash } from "node:crypto";
import { endpointOf } from "../../aws/conventions.js";
import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { openCache, removeCache } from "../../lib/cache.js";
import { cacheAllowed } from "../../lib/cache-folder.js";
import { removeWaitingCache } from "../executions/waiting-cache.js";
import { scopeOf } from "../scope.js";
import type { ApprovalStack } from "./find.js";

/**
 * What a run remembers of a stack, so the next one need not ask CloudFormation: its outputs (the
 * state machine ARN and the API URL) and the definition deployed then. A warm run checks the
 * definition against the state machine in the same round trip as its real work, and anything that
 * no longer matches sends it back to a full read: the memory only ever saves calls.
 */
export interface KnownStack {
  stack: ApprovalStack;
  /** The deployed definition, as DescribeStateMachine returned it. */
  definition: string;
  /** {@link definitionHash} of `definition`. */
  fingerprint: string;
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

/** A short hash of a definition's text: tells whether the deployed definition changed. */
export function definitionHash(definition: string): string {
  return createHash("sha256").update(definition).digest("hex").slice(0, 16);
}

/**
 * Open the memory of the run's stack, scoped by endpoint, region (as the client resolved it),
 * profile and stack name. Undefined when the run may not use the cache directory.
 */
export async function openStackMemory(ctx: Context, sfn: StepFunctions): Promise<StackMemory | undefined> {
  if (!cacheAllowed(ctx.env)) return undefined;
  const scope = scopeOf({ ...ctx.aws, stackName: ctx.stackName }, ctx.env);
  const region = (await sfn.region()) ?? scope.region ?? "";
  const key = JSON.stringify([scope.endpoint ?? "aws", region, scope.profile ?? "", scope.stackName]);
  const cache = await openCache("stack", key, { env: ctx.env, validate: isKnownStack });
  const endpoint = endpointOf(ctx.aws.endpointUrl, ctx.env);
  const known = cache.get(KEY);
  const dropWaiting = async (stateMachineArn: string | undefined) => {
    if (stateMachineArn) await removeWaitingCache(stateMachineArn, endpoint, { env: ctx.env });
  };
  return {
    known,
    async remember(stack, definition) {
      const previous = known?.stack.outputs.StateMachineHumanApprovalArn;
      if (previous !== stack.outputs.StateMachineHumanApprovalArn) await dropWaiting(previous);
      const fingerprint = definitionHash(definition);
      if (known && known.fingerprint === fingerprint && JSON.stringify(known.stack) === JSON.stringify(stack)) return;
      cache.set(KEY, { stack, definition, fingerprint });
      await cache.save();
    },
    async forget() {
      if (!known) return;
      await dropWaiting(known.stack.outputs.StateMachineHumanApprovalArn);
      await removeCache("stack", key, { env: ctx.env });
    },
  };
}

function isKnownStack(value: unknown): value is KnownStack {
  const v = value as Partial<KnownStack> | null;
  const stack = v?.stack as Partial<ApprovalStack> | undefined;
  return (
    typeof v?.definition === "string" &&
    v.fingerprint === definitionHash(v.definition) &&
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
