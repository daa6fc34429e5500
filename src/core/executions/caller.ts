import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { amend } from "../../errors.js";

/**
 * Start reading who the command runs as (STS GetCallerIdentity, which needs no IAM permission):
 * the ARN every decision records as `DecidedBy`. Started alongside the command's first AWS call so
 * it adds no round trip; the promise is never left unhandled, and awaiting it throws a user error
 * saying nothing was sent.
 */
export function startCallerIdentity(ctx: Context): Promise<string> {
  const read = (async () => {
    const sts = await ctx.sts();
    const Arn = await sts.callerArn({ abortSignal: ctx.signal });
    if (!Arn) throw new Error("STS GetCallerIdentity answered without an ARN");
    return Arn;
  })().catch((error: unknown) => {
    throw amend(toUserError(error, "Reading who you are (STS GetCallerIdentity)"), {
      append: "Every decision records who made it, so nothing was sent.",
    });
  });
  // Awaited later, maybe after another call failed first: never an unhandled rejection meanwhile.
  read.catch(() => {});
  return read;
}
