import type { Context } from "../../context.js";
import { NotFoundError } from "../../errors.js";
import { placeholder, suggestCommand } from "../suggest.js";
import { openWorkflow } from "../workflow/open.js";
import { listWaitingAcrossStacks } from "./across-stacks.js";
import { findWaitingExecutions, type PendingExecution } from "./waiting.js";

/** What a decision command offers to pick from when no execution is named. */
export interface PickableExecutions {
  /** The waiting executions, newest first, each with its stack. */
  entries: { stackName: string; pending: PendingExecution }[];
}

/**
 * The executions a decision command may pick from: those waiting in the `--stack-name` stack, or
 * with `allStacks` in every human-approval stack of the region (a stack that cannot be read is a
 * `note` event, and does not hide the others). Throws a not-found error, with a
 * hint to start one, when none waits.
 */
export async function waitingToPick(ctx: Context, allStacks: boolean): Promise<PickableExecutions> {
  if (!allStacks) {
    const open = await openWorkflow(ctx);
    const pending = await findWaitingExecutions(open.sfn, open.stateMachineArn, open.workflow);
    if (pending.length === 0) {
      throw new NotFoundError(
        "No executions are waiting for a decision.",
        `Start one with \`${suggestCommand(ctx, ["start", "--input", placeholder("file")])}\`.`,
      );
    }
    return { entries: pending.map((p) => ({ stackName: ctx.stackName, pending: p })) };
  }
  const found = await listWaitingAcrossStacks(ctx);
  for (const f of found.failures) ctx.emit({ type: "note", message: `stack ${f.stackName} was not read: ${f.error.message}` });
  if (found.entries.length === 0) {
    throw new NotFoundError(
      found.stacks.length
        ? `No executions are waiting for a decision in any of the ${found.stacks.length} human-approval stacks.`
        : "No human-approval stacks in this account and region.",
      `Start one with \`${suggestCommand(ctx, ["start", "--input", placeholder("file"), "--stack-name", placeholder("stack")], { stack: false })}\`.`,
    );
  }
  return { entries: found.entries.map(({ stackName, pending }) => ({ stackName, pending })) };
}
