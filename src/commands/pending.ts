import type { Handler } from "../context.js";
import { rememberWaiting } from "../core/completion-cache.js";
import { findWaitingExecutions, type PendingExecution } from "../core/executions.js";
import { approvalLinks, stateMachineName } from "../core/links.js";
import { toUserError } from "../errors.js";
import { columns, duration, relativeTime, summarizeInput } from "../output/format.js";
import { openWorkflow } from "./common.js";

interface PendingOptions {
  /** `--links`: include the Approve and Reject URLs (they carry the task token). Default false. */
  links?: boolean;
}

/** Ten minutes: time left below this is highlighted. */
const SOON_MS = 10 * 60 * 1000;

/** `approvals pending`: the executions waiting at the callback state. */
export const handler: Handler<[], PendingOptions> = async (ctx, _args, options) => {
  const { sfn, stack, stateMachineArn, workflow } = await openWorkflow(ctx);
  const progress = ctx.out.progress("Reading waiting executions…");
  let pending: PendingExecution[];
  try {
    pending = await findWaitingExecutions(sfn, stateMachineArn, workflow);
  } catch (error) {
    throw toUserError(error, "Listing waiting executions");
  } finally {
    progress.stop();
  }
  // Shell completion offers these names (see `approvals completion`).
  await rememberWaiting(
    options,
    pending.map((p) => p.name),
    ctx.out.streams.env,
  );
  const apiUrl = stack.outputs.ApiGatewayInvokeURL as string;
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
  const now = ctx.now();
  const { style } = ctx.out;
  const rows = pending.map((p) => {
    const left = p.expiresAt ? p.expiresAt.getTime() - now.getTime() : undefined;
    const leftText = left === undefined ? "no timeout" : left <= 0 ? "expiring" : `${duration(left)} left`;
    return [
      p.name,
      relativeTime(p.startDate, now),
      duration(now.getTime() - p.waitingSince.getTime()),
      left !== undefined && left < SOON_MS ? style.yellow(leftText) : leftText,
      summarizeInput(p.input),
    ];
  });
  const table = columns(["NAME", "STARTED", "WAITING FOR", "TIME LEFT", "COMMENT"], rows).split("\n");
  ctx.out.result(style.bold(table[0] ?? ""));
  pending.forEach((p, i) => {
    ctx.out.result(table[i + 1]);
    if (options.links) {
      const links = linksOf(p);
      ctx.out.result(`  ${style.green("approve")} ${links.approve}`);
      ctx.out.result(`  ${style.red("reject")}  ${links.reject}`);
    }
  });
  ctx.out.info(style.dim(`${pending.length} waiting. Decide with: approvals approve <name> | approvals reject <name>`));
  return 0;
};

function parseInput(input: string | undefined): unknown {
  if (input === undefined) return null;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
