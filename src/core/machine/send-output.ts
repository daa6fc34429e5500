import { isDeepStrictEqual } from "node:util";
import { toUserError } from "../../aws/errors.js";
import type { HistoryEvent } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { amend, awsErrorName, NotFoundError, refusedAtOnce } from "../../errors.js";
import { readHistoryToSettle } from "../executions/lost-reply.js";
import { executionName } from "../executions/names.js";
import { closingEvent } from "./open-tasks.js";

/** Errors that say the token was used or expired before this request reached the task. */
const TOKEN_GONE = new Set(["InvalidToken", "TaskDoesNotExist", "TaskTimedOut"]);

/** What to send, and to which task. */
export interface TaskAnswer {
  executionArn: string;
  /** Bearer secret: never printed. */
  token: string;
  /** The id of the task's TaskScheduled event, to find what closed it. */
  scheduledEventId: number;
  /** The JSON text sent with SendTaskSuccess, exactly. */
  output?: string;
  /** Instead of an output, SendTaskFailure with this error and cause (`fail`). */
  failure?: { error: string; cause?: string };
  /** How the user names the task in messages, e.g. `Finance` or `AskItem[1]`. */
  label: string;
}

/** Whether the event that closed the task is this answer, as sent. */
function landed(closed: HistoryEvent | undefined, answer: TaskAnswer): boolean {
  if (answer.failure) {
    const details = closed?.taskFailedEventDetails;
    return (
      closed?.type === "TaskFailed" && details?.error === answer.failure.error && (details?.cause ?? undefined) === answer.failure.cause
    );
  }
  return closed?.type === "TaskSucceeded" && closed.taskSucceededEventDetails?.output === answer.output;
}

/** Whether a task closed otherwise than {@link landed} says could still be this answer: the same JSON in other spacing. */
function maybeThis(closed: HistoryEvent, answer: TaskAnswer): boolean {
  if (answer.failure || closed.type !== "TaskSucceeded") return false;
  try {
    return isDeepStrictEqual(JSON.parse(closed.taskSucceededEventDetails?.output ?? ""), JSON.parse(answer.output ?? ""));
  } catch {
    return false;
  }
}

/**
 * `decide`'s send (and approve, reject and fail's with `--state-machine`): SendTaskSuccess with the
 * task's own token and the output, exactly, or SendTaskFailure with the error and cause. When the answer
 * was lost (timeout, dropped connection, 5xx), the history says whether this output landed; when it
 * cannot say, the error says the output may have landed and that `showCommand` shows it.
 * @returns whether the reply was lost (and the history shows this output landed).
 */
export async function sendTaskOutput(ctx: Context, answer: TaskAnswer, showCommand: string): Promise<{ replyLost: boolean }> {
  const sfn = await ctx.sfn();
  const name = executionName(answer.executionArn);
  const { token: taskToken, failure } = answer;
  try {
    await ctx.inFlight.track(`the answer to ${answer.label} of ${name}`, () =>
      failure ? sfn.sendTaskFailure(taskToken, failure) : sfn.sendTaskSuccess(taskToken, answer.output),
    );
    return { replyLost: false };
  } catch (error) {
    const code = awsErrorName(error);
    if (refusedAtOnce(error) && code && TOKEN_GONE.has(code)) {
      throw new NotFoundError(
        `${answer.label} of ${name} no longer waits: it was answered, or timed out, before this reached it (${code}).`,
        `See what happened: ${showCommand}`,
        error,
      );
    }
    const failure = toUserError(error, `Sending the answer to ${answer.label} of ${name}`);
    if (refusedAtOnce(error)) throw failure;
    let closed: HistoryEvent | undefined;
    try {
      closed = closingEvent(await readHistoryToSettle(sfn, answer.executionArn), answer.scheduledEventId);
    } catch {
      closed = undefined;
    }
    if (landed(closed, answer)) return { replyLost: true };
    // Closed by another answer, or by its timeout: a token is taken once, so this one cannot land.
    if (closed && !maybeThis(closed, answer)) {
      throw new NotFoundError(
        `${answer.label} of ${name} no longer waits: it was answered, or timed out, before this reached it (its history shows ${closed.type}).`,
        `See what happened: ${showCommand}`,
        error,
      );
    }
    throw amend(failure, {
      append: `The answer may have landed all the same: run \`${showCommand}\` before sending it again.`,
      mayHaveLanded: true,
    });
  }
}
