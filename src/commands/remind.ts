import { validateExecutionName } from "../core/executions/names.js";
import { prepareReminder, type ReminderPlan, sendReminder } from "../core/executions/remind.js";
import { UsageError } from "../errors.js";
import { parseDuration } from "../lib/durations.js";
import { safeText } from "../lib/safe-text.js";
import { duration } from "../output/format.js";
import type { CommandContext } from "./context.js";
import type { HandlerOf } from "./define.js";
import type { remind } from "./remind.spec.js";

/** An SNS topic ARN: partition, region, account, then a name of letters, digits, `-`, `_` (and `.fifo`). */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/**
 * `approvals remind`: publish one reminder (split only beyond SNS's size limit) listing the waiting
 * executions picked, with their links, to the stack's topic. The terminal and `--json` show names,
 * never a link or a token: those are for the message's readers.
 */
export const handler: HandlerOf<typeof remind> = async (ctx, [names], options) => {
  const olderThanMs = checkOlderThan(options.olderThan);
  if (options.topic !== undefined && !TOPIC_ARN.test(options.topic)) {
    throw new UsageError(
      `--topic ${safeText(options.topic)} is not an SNS topic ARN.`,
      "Example: --topic arn:aws:sns:us-east-1:123456789012:approvers",
    );
  }
  for (const name of names) {
    if (name.startsWith("arn:")) continue;
    if (name.includes("/")) {
      throw new UsageError(
        `"${safeText(name)}": remind sends one stack's reminder, to that stack's topic; name its executions without a stack.`,
        "Example: approvals remind build-17 --stack-name billing",
      );
    }
    validateExecutionName(name);
  }
  const { out } = ctx;
  out.ensureCanConfirm("send the reminder");
  const progress = out.progress("Reading waiting executions…");
  const plan = await prepareReminder(ctx, { names, olderThanMs, topicArn: options.topic }).finally(() => progress.stop());
  if (plan.picked.length === 0) {
    if (out.json) out.jsonResult({ topic: null, messageIds: [], executions: [] });
    else
      out.result(
        `No execution of ${plan.stackName} ${options.olderThan ? `has waited ${options.olderThan} or longer` : "is waiting"}: nothing sent.`,
      );
    return 0;
  }
  const executions = plan.picked.map((p) => p.name);
  if (out.interactive) preview(ctx, plan);
  const { confirmed, unconfirmed } = plan.subscribers;
  if (confirmed === 0) {
    out.warn(
      `topic ${safeText(plan.topicArn ?? "")} has no confirmed subscription: nobody receives the reminder` +
        (unconfirmed ? ` (${unconfirmed} await${unconfirmed === 1 ? "s" : ""} confirmation).` : "."),
    );
  }
  const count = plan.picked.length === 1 ? "1 execution" : `${plan.picked.length} executions`;
  await out.confirm(`Send the reminder of ${count} to this topic?`, "send the reminder");
  const messageIds = await sendReminder(ctx, plan);
  if (out.json) {
    out.jsonResult({ topic: plan.topicArn, messageIds, executions });
  } else {
    const messages = messageIds.length === 1 ? "" : ` in ${messageIds.length} messages`;
    out.result(`${out.style.green("✔")} Sent a reminder of ${count}${messages} to ${safeText(plan.topicArn ?? "")}.`);
  }
  return 0;
};

/** What will be sent, before the question: names and how long each waited, never a link. */
function preview(ctx: CommandContext, plan: ReminderPlan): void {
  const { out } = ctx;
  const now = ctx.now().getTime();
  const { confirmed, unconfirmed } = plan.subscribers;
  const subscribers = `${confirmed} confirmed subscription${confirmed === 1 ? "" : "s"}${unconfirmed ? `, ${unconfirmed} unconfirmed` : ""}`;
  out.info(`Reminder to ${safeText(plan.topicArn ?? "")} (${subscribers}):`);
  for (const p of plan.picked) out.info(`  ${safeText(p.name)}  ${out.style.dim(`waiting ${duration(now - p.waitingSince.getTime())}`)}`);
  if (!plan.links) out.info(out.style.dim("No approval page: the message lists the approvals commands to decide."));
  if (plan.parts.length > 1)
    out.info(out.style.dim(`Over SNS's 256 KiB limit: sent as ${plan.parts.length} messages, each listing whole executions.`));
}

function checkOlderThan(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined)
    throw new UsageError(`--older-than ${JSON.stringify(safeText(text))} is not a duration.`, "Examples: --older-than 30m, 2h, 1d");
  return ms;
}
