import { setTimeout as delay } from "node:timers/promises";
import type { Context } from "../../context.js";
import { ApprovalsError, AwsError, InterruptedError, toUserError } from "../../errors.js";
import { findStack } from "./find.js";

/** How long to spend asking where a stack stands after a wait stopped: the answer is a courtesy. */
const STATUS_TIMEOUT_MS = 5_000;

/**
 * Turn an error that ended a stack wait (Ctrl-C, or AWS out of reach) into a message saying what
 * still runs at AWS and how to pick it up again. `command` is the command to rerun to resume.
 */
export async function stoppedWaiting(ctx: Context, error: unknown, command: "deploy" | "destroy"): Promise<ApprovalsError> {
  const resume = `Run \`approvals ${command}${ctx.stackName === "human-approval" ? "" : ` --stack-name ${ctx.stackName}`}\` again to resume watching.`;
  if (ctx.signal.aborted) {
    const status = await currentStatus(ctx);
    return new InterruptedError(
      `Interrupted: stopped watching stack ${ctx.stackName}, ${status ? `which is still ${status} at AWS` : "whose operation goes on at AWS"} (CloudFormation carries on without the CLI).`,
      resume,
    );
  }
  const user = toUserError(error, `Watching stack ${ctx.stackName}`);
  // The stack operation was already handed to CloudFormation: losing AWS mid-wait does not stop it.
  // A refusal (AccessDenied) keeps its own advice; a lost endpoint gets the way back to the wait.
  const hint = user instanceof AwsError && user.hint ? user.hint : resume;
  const wrapped = new ApprovalsError(`${user.message} The stack operation goes on at AWS.`, hint, user.exitCode);
  wrapped.cause = user.cause ?? error;
  return wrapped;
}

async function currentStatus(ctx: Context): Promise<string | undefined> {
  try {
    const cfn = await ctx.cloudFormation();
    const stack = await Promise.race([findStack(cfn, ctx.stackName), delay(STATUS_TIMEOUT_MS, undefined, { ref: false })]);
    return stack?.StackStatus;
  } catch {
    return undefined;
  }
}
