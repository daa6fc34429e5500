import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import type { ApprovalStack } from "../stack/find.js";
import { storeScope } from "../store.js";
import type { Workflow } from "../workflow/definition.js";
import { type ApprovalLinks, apiInvokeUrl, approvalLinks, stateMachineName } from "../workflow/email.js";
import { openWorkflow } from "../workflow/open.js";
import { findWaitingExecutions, type PendingExecution, type WaitingReport } from "./waiting.js";
import { openWaitingCache } from "./waiting-cache.js";

/** What {@link listWaiting} found. */
export interface WaitingList {
  /** The deployed stack, as read (or remembered). */
  stack: ApprovalStack;
  stateMachineArn: string;
  /** The workflow the state machine's current definition describes. */
  workflow: Workflow;
  pending: PendingExecution[];
  /** What the listing did, for `--debug`. */
  report: WaitingReport | undefined;
  /** The waiting-execution cache file used, if any. */
  cachePath: string | undefined;
  /** The Approve and Reject links of a waiting execution (they carry its task token). */
  linksOf: (pending: PendingExecution) => ApprovalLinks;
}

/** Options of {@link listWaiting}. */
export interface ListWaitingOptions {
  /** Reuse and update the executions remembered as waiting by earlier runs. Default true. */
  cache?: boolean;
  /** The stack as already described (`--all-stacks`): its outputs are not read again. Default none. */
  described?: ApprovalStack;
}

/**
 * `pending`'s use case: the executions waiting at the callback state, newest first. Updates the
 * waiting-execution cache (scoped by endpoint and state machine); the command writes the names shell
 * completion offers.
 */
export async function listWaiting(ctx: Context, options: ListWaitingOptions = {}): Promise<WaitingList> {
  // Warm, the RUNNING list and the definition check are one round trip (see openWorkflow).
  const {
    sfn,
    stack,
    stateMachineArn,
    workflow,
    alongside: running,
  } = await openWorkflow(ctx, {
    alongside: (sfn, arn) => sfn.runningExecutions(arn).catch((error) => Promise.reject(toUserError(error, "Listing waiting executions"))),
    memory: options.cache === false ? "off" : "check",
    described: options.described,
  });
  const scope = options.cache === false ? undefined : await storeScope(ctx);
  const cache = scope ? await openWaitingCache(scope, stateMachineArn, { env: ctx.env }) : undefined;
  let report: WaitingReport | undefined;
  let pending: PendingExecution[];
  try {
    pending = await findWaitingExecutions(sfn, stateMachineArn, workflow, { cache, running, onReport: (r) => (report = r) });
  } catch (error) {
    throw toUserError(error, "Listing waiting executions");
  }
  await cache?.save();
  // A local stand-in for API Gateway (`npm run sandbox`) serves the links at another address.
  const apiUrl = apiInvokeUrl(stack.outputs.ApiGatewayInvokeURL as string, ctx.env.APPROVALS_API_ENDPOINT || undefined);
  const linksOf = (p: PendingExecution) => approvalLinks(apiUrl, stateMachineName(stateMachineArn), p.name, p.token);
  return { stack, stateMachineArn, workflow, pending, report, cachePath: cache?.path, linksOf };
}
