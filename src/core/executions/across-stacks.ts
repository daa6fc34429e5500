import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { type ApprovalsError, ExitCode, NotFoundError } from "../../errors.js";
import { type DiscoveredStack, findApprovalStacks } from "../stack/discover.js";
import type { ApprovalLinks } from "../workflow/email.js";
import { type ListWaitingOptions, listWaiting } from "./list-waiting.js";
import type { PendingExecution } from "./waiting.js";

/** One waiting execution of one of the region's approval stacks. */
export interface StackPending {
  stackName: string;
  pending: PendingExecution;
  /** Its Approve and Reject links (they carry the task token). */
  links: () => ApprovalLinks;
}

/** What {@link listWaitingAcrossStacks} found. */
export interface WaitingAcrossStacks {
  /** Every human-approval stack found, by name. */
  stacks: DiscoveredStack[];
  /** The waiting executions of all of them, newest first. */
  entries: StackPending[];
  /** The stacks listed, with what waits in each (an empty list when nothing does). */
  listed: { stackName: string; pending: PendingExecution[] }[];
  /** Stacks whose executions could not be read, with why. */
  failures: { stackName: string; error: ApprovalsError }[];
  /** Stacks passed over: their state machine is gone or is not an approval workflow. */
  skipped: { stackName: string; reason: string }[];
  /** 1 when a stack could not be read (the others are listed all the same), else 0. */
  exitCode: number;
}

/**
 * `pending --all-stacks`' use case: find every human-approval stack of the account and region, then
 * list each one's waiting executions as `pending` does (cache included), from the outputs that one
 * listing read. One stack that cannot be read does not hide the others.
 */
export async function listWaitingAcrossStacks(ctx: Context, options: ListWaitingOptions = {}): Promise<WaitingAcrossStacks> {
  const stacks = await findApprovalStacks(await ctx.cloudFormation());
  const result: WaitingAcrossStacks = { stacks, entries: [], listed: [], failures: [], skipped: [], exitCode: ExitCode.OK };
  // One stack after another: each listing already reads histories in parallel.
  for (const { stackName, described } of stacks) {
    try {
      // DescribeStacks just read every stack's outputs: each listing starts from them.
      const list = await listWaiting({ ...ctx, stackName }, { ...options, described });
      result.listed.push({ stackName, pending: list.pending });
      for (const pending of list.pending) result.entries.push({ stackName, pending, links: () => list.linksOf(pending) });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      if (error instanceof NotFoundError) result.skipped.push({ stackName, reason: error.message });
      else result.failures.push({ stackName, error: toUserError(error, `Reading stack ${stackName}`) });
    }
  }
  result.entries.sort((a, b) => b.pending.startDate.getTime() - a.pending.startDate.getTime());
  if (result.failures.length) result.exitCode = ExitCode.FAILED;
  return result;
}
