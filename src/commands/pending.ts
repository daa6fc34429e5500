import type { Context, Handler } from "../context.js";
import { rememberWaiting } from "../core/completion-cache.js";
import { findWaitingExecutions, type PendingExecution } from "../core/executions.js";
import { apiInvokeUrl, approvalLinks, stateMachineName } from "../core/links.js";
import { openWaitingCache } from "../core/waiting-cache.js";
import { toUserError } from "../errors.js";
import { printPendingTable } from "../output/pending-table.js";
import { openWorkflow } from "./common.js";

interface PendingOptions {
  /** `--links`: include the Approve and Reject URLs (they carry the task token). Default false. */
  links?: boolean;
  /** `--no-cache` sets false: read every history instead of reusing remembered waiting executions. Default true. */
  cache?: boolean;
}

/** `approvals pending`: the executions waiting at the callback state. */
export const handler: Handler<[], PendingOptions> = async (ctx, _args, options) => {
  const { sfn, stack, stateMachineArn, workflow } = await openWorkflow(ctx);
  const progress = ctx.out.progress("Reading waiting executions…");
  let pending: PendingExecution[];
  const cache =
    options.cache === false ? undefined : await openWaitingCache(stateMachineArn, endpointOf(ctx), { env: ctx.out.streams.env });
  try {
    pending = await findWaitingExecutions(sfn, stateMachineArn, workflow, {
      cache,
      onReport: (r) =>
        ctx.out.debug(
          `pending: ${r.running} running, ${r.remembered} remembered, ${r.verified} verified, ${r.read} read, ${r.dropped} forgotten${cache ? ` (cache ${cache.path})` : ""}`,
        ),
    });
  } catch (error) {
    throw toUserError(error, "Listing waiting executions");
  } finally {
    progress.stop();
  }
  await cache?.save();
  // Shell completion offers these names (see `approvals completion`).
  await rememberWaiting(
    options,
    pending.map((p) => p.name),
    ctx.out.streams.env,
  );
  // A local stand-in for API Gateway (`npm run sandbox`) serves the links at another address.
  const apiUrl = apiInvokeUrl(stack.outputs.ApiGatewayInvokeURL as string, ctx.out.streams.env.APPROVALS_API_ENDPOINT || undefined);
  const linksOf = (p: PendingExecution) => approvalLinks(apiUrl, stateMachineName(stateMachineArn), p.name, p.token);

  if (ctx.out.json) {
    ctx.out.jsonResult(
      pending.map((p) => ({
        name: p.name,
        executionArn: p.executionArn,
        startDate: p.startDate.toISOString(),
        waitingSince: p.waitingSince.toISOString(),
        expiresAt: p.expiresAt?.toISOString() ?? null,
        input: parseInput(p.input),
        ...(options.links ? { links: linksOf(p) } : {}),
      })),
    );
    return 0;
  }
  if (pending.length === 0) {
    ctx.out.result(`No executions are waiting for a decision in ${ctx.stackName}.`);
    return 0;
  }
  printPendingTable(ctx.out, pending, { now: ctx.now(), links: options.links ? linksOf : undefined });
  ctx.out.info(ctx.out.style.dim(`${pending.length} waiting. Decide with: approvals approve <name> | approvals reject <name>`));
  return 0;
};

/** The endpoint the SDK sends Step Functions requests to, when not AWS's own: part of the cache's scope. */
function endpointOf(ctx: Context): string | undefined {
  const { env } = ctx.out.streams;
  return ctx.aws.endpointUrl ?? (env.AWS_ENDPOINT_URL_SFN || env.AWS_ENDPOINT_URL || undefined);
}

function parseInput(input: string | undefined): unknown {
  if (input === undefined) return null;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
