import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { toUserError } from "../../aws/errors.js";
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
  /** The JSON text sent, exactly. */
  output: string;
  /** How the user names the task in messages, e.g. `Finance` or `AskItem[1]`. */
  label: string;
}

/**
 * `decide`'s send: SendTaskSuccess with the task's own token and the output, exactly. When the answer
 * was lost (timeout, dropped connection, 5xx), the history says whether this output landed; when it
 * cannot say, the error says the output may have landed and that `showCommand` shows it.
 * @returns whether the reply was lost (and the history shows this output landed).
 */
export async function sendTaskOutput(ctx: Context, answer: TaskAnswer, showCommand: string): Promise<{ replyLost: boolean }> {
  const sfn = await ctx.sfn();
  const { SendTaskSuccessCommand } = await import("../../aws/sdk/sfn.js");
  const name = executionName(answer.executionArn);
  try {
    await ctx.inFlight.track(`the answer to ${answer.label} of ${name}`, () =>
      sfn.send(new SendTaskSuccessCommand({ taskToken: answer.token, output: answer.output })),
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
    if (closed?.type === "TaskSucceeded" && closed.taskSucceededEventDetails?.output === answer.output) return { replyLost: true };
    throw amend(failure, {
      append: `The answer may have landed all the same: run \`${showCommand}\` before sending it again.`,
    });
  }
}
