import type { Handler } from "../context.js";
import { findStack } from "../core/stack/find.js";
import { stoppedWaiting } from "../core/stack/stopped-wait.js";
import { watchStack } from "../core/stack/watch.js";
import { stackPollInterval } from "../core/workflow/open.js";
import { ApprovalsError, NotFoundError, toUserError } from "../errors.js";
import { formatStackEvent } from "../output/report.js";

/** `approvals destroy`: delete the stack after confirmation and wait until it is gone. */
export const handler: Handler = async (ctx) => {
  const { out } = ctx;
  const cfn = await ctx.cloudFormation();
  const stack = await findStack(cfn, ctx.stackName);
  if (!stack) throw new NotFoundError(`Stack ${ctx.stackName} does not exist: nothing to delete.`);
  await out.confirm(`Delete stack ${ctx.stackName} (${stack.StackStatus}) and all its resources?`, "delete the stack");
  const { DeleteStackCommand } = await import("@aws-sdk/client-cloudformation");
  const since = new Date(Date.now() - 1000);
  try {
    await cfn.send(new DeleteStackCommand({ StackName: stack.StackId ?? ctx.stackName }));
  } catch (error) {
    throw toUserError(error, "Deleting the stack");
  }
  let watch: Awaited<ReturnType<typeof watchStack>>;
  try {
    watch = await watchStack(cfn, stack.StackId ?? ctx.stackName, {
      since,
      pollMs: stackPollInterval(out.streams.env),
      onEvent: (event) => out.info(formatStackEvent(out, event)),
      signal: ctx.signal,
    });
  } catch (error) {
    throw await stoppedWaiting(ctx, error, "destroy");
  }
  if (watch.status !== "DELETE_COMPLETE") {
    throw new ApprovalsError(`Deleting ${ctx.stackName} ended ${watch.status}${watch.reason ? `: ${watch.reason}` : ""}.`);
  }
  out.result(`Deleted stack ${ctx.stackName}.`);
  return 0;
};
