import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { type ApprovalsError, AwsError, amend, InterruptedError } from "../../errors.js";
import { suggestCommand } from "../suggest.js";
import { findStack } from "./find.js";

/** How long to spend asking where a stack stands after a wait stopped: the answer is a courtesy. */
const STATUS_TIMEOUT_MS = 5_000;

/**
 * Turn an error that ended a stack wait (Ctrl-C, or AWS out of reach) into a message saying what
 * still runs at AWS and how to pick it up again. `command` is the command to rerun to resume.
 */
export async function stoppedWaiting(ctx: Context, error: unknown, command: "deploy" | "destroy"): Promise<ApprovalsError> {
  const resume = `Run \`${suggestCommand(ctx, [command])}\` again to resume watching.`;
  if (ctx.signal.aborted) {
    const status = await currentStatus(ctx);
    return new InterruptedError(
      `Interrupted: stopped watching stack ${ctx.stackName}, ${status ? `which is still ${status} at AWS` : "whose operation goes on at AWS"} (CloudFormation carries on without the CLI).`,
      resume,
      error,
    );
  }
  const user = toUserError(error, `Watching stack ${ctx.stackName}`);
  // The stack operation was already handed to CloudFormation: losing AWS mid-wait does not stop it.
  // A refusal (AccessDenied) keeps its own advice; a lost endpoint gets the way back to the wait.
  return amend(user, { append: "The stack operation goes on at AWS.", hint: user instanceof AwsError && user.hint ? user.hint : resume });
}

async function currentStatus(ctx: Context): Promise<string | undefined> {
  const timeout = new AbortController();
  try {
    const cfn = await ctx.cloudFormation();
    const gaveUp = ctx.sleep(STATUS_TIMEOUT_MS, timeout.signal).then(
      () => undefined,
      () => undefined,
    );
    const stack = await Promise.race([findStack(cfn, ctx.stackName), gaveUp]);
    return stack?.StackStatus;
  } catch {
    return undefined;
  } finally {
    timeout.abort();
  }
}
