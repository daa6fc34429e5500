import type { Stack } from "../../aws/cloudformation.js";
import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { ApprovalsError, InterruptedError, NotFoundError } from "../../errors.js";
import { findWaitingExecutions, type PendingExecution } from "../executions/waiting.js";
import { openWorkflow } from "../workflow/open.js";
import { findStack } from "./find.js";
import { stoppedWaiting } from "./stopped-wait.js";
import { watchStack } from "./watch.js";

/** The stack `destroy` is about to delete; throws a not-found error when there is none. */
export async function stackToDelete(ctx: Context): Promise<Stack> {
  const stack = await findStack(await ctx.cloudFormation(), ctx.stackName);
  if (!stack) throw new NotFoundError(`Stack ${ctx.stackName} does not exist: nothing to delete.`);
  return stack;
}

/**
 * `destroy`'s use case, once confirmed: delete the stack and watch it until it is gone. A stop
 * (Ctrl-C, AWS out of reach) says the deletion goes on at AWS; a deletion that fails throws.
 */
export async function deleteStack(ctx: Context, stack: Stack): Promise<void> {
  const cfn = await ctx.cloudFormation();
  // By id: once the deletion completes, the stack's name no longer finds it, its id still does.
  const id = stack.StackId ?? ctx.stackName;
  const since = new Date(ctx.now().getTime() - 1000);
  // Ctrl-C while the stack was read: the deletion is not started.
  if (ctx.signal.aborted) throw new InterruptedError("Interrupted: nothing was sent; the stack was not deleted.");
  try {
    await ctx.inFlight.track(`the deletion of stack ${ctx.stackName}`, () => cfn.deleteStack(id));
  } catch (error) {
    throw toUserError(error, "Deleting the stack");
  }
  let watch: Awaited<ReturnType<typeof watchStack>>;
  try {
    // A deletion's events are all DELETE_*: the stack's creation a second earlier is not part of it.
    watch = await watchStack(ctx, id, since, (event) => event.ResourceStatus?.startsWith("DELETE_") ?? true);
  } catch (error) {
    throw await stoppedWaiting(ctx, error, "destroy");
  }
  if (watch.status !== "DELETE_COMPLETE") {
    throw new ApprovalsError(`Deleting ${ctx.stackName} ended ${watch.status}${watch.reason ? `: ${watch.reason}` : ""}.`);
  }
}

/**
 * The executions still waiting for a decision on the stack `destroy` is about to delete, so the
 * question can say what deleting does to them; undefined when they cannot be read (a stack that
 * is not a working approval stack, say).
 */
export async function waitingOnStack(ctx: Context): Promise<PendingExecution[] | undefined> {
  try {
    const open = await openWorkflow(ctx);
    return await findWaitingExecutions(open.sfn, open.stateMachineArn, open.workflow);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return undefined;
  }
}
