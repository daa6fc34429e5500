import { toUserError } from "../../aws/errors.js";
import type { Subscription } from "../../aws/sns.js";
import type { Context } from "../../context.js";
import { InterruptedError, NotFoundError } from "../../errors.js";
import { apiEndpointOf } from "../stack/checks.js";
import { loadExecutionWorkflow } from "../stack/find.js";
import { isConfirmed, stackTopicArn } from "../stack/topic.js";
import { suggestCommand } from "../suggest.js";
import { type ReminderPart, reminderParts } from "../workflow/reminder.js";
import { requireWaiting } from "./decide.js";
import { listWaiting } from "./list-waiting.js";
import { executionName, resolveExecutionArn } from "./names.js";
import type { PendingExecution } from "./waiting.js";

/** What `remind` picked and would send: the confirmation sits between {@link prepareReminder} and {@link sendReminder}. */
export interface ReminderPlan {
  stackName: string;
  /** Where it goes; undefined when nothing was picked (no topic was read). */
  topicArn: string | undefined;
  /** The executions listed, in the order of the message. */
  picked: PendingExecution[];
  /** The messages to publish, each listing whole entries. */
  parts: ReminderPart[];
  /** The topic's subscriptions: confirmed ones receive the message; the others do not. */
  subscribers: { confirmed: number; unconfirmed: number };
  /** Whether the message carries Approve and Reject links (the state machine has the approval page). */
  links: boolean;
}

/** Options of {@link prepareReminder}. */
export interface RemindOptions {
  /** Executions named (names or ARNs of the stack's state machine); default none: every waiting execution. */
  names?: string[];
  /** Only executions waiting at least this long, in ms; default 0. */
  olderThanMs?: number;
  /** `--topic`: publish here instead of the stack's topic. */
  topicArn?: string;
}

/**
 * `remind`'s first half: the waiting executions to remind of (those named, which must all wait, or
 * every one; then those waiting at least `olderThanMs`), the message parts with their links, and the
 * topic with its subscriber count. Sends nothing.
 */
export async function prepareReminder(ctx: Context, options: RemindOptions = {}): Promise<ReminderPlan> {
  const { stack, stateMachineArn, workflow, pending, linksOf } = await listWaiting(ctx);
  let chosen = pending;
  if (options.names?.length) {
    const arns = [...new Set(options.names.map((n) => resolveExecutionArn(stateMachineArn, n)))];
    const byArn = new Map(pending.map((p) => [p.executionArn, p]));
    for (const arn of arns) if (!byArn.has(arn)) await refuseNotWaiting(ctx, arn, workflow);
    chosen = arns.flatMap((arn) => byArn.get(arn) ?? []);
  }
  const now = ctx.now();
  const picked = chosen.filter((p) => now.getTime() - p.waitingSince.getTime() >= (options.olderThanMs ?? 0));
  const links = apiEndpointOf(workflow) !== undefined;
  const plan = { stackName: stack.stackName, picked, links, subscribers: { confirmed: 0, unconfirmed: 0 } };
  if (picked.length === 0) return { ...plan, topicArn: undefined, parts: [] };
  const entries = picked.map((p) => ({ ...p, links: links ? linksOf(p) : undefined }));
  const parts = reminderParts(stack.stackName, entries, now);
  const topicArn = options.topicArn ?? (await stackTopic(ctx, stack.stackName));
  let subscriptions: Subscription[];
  try {
    subscriptions = await (await ctx.sns()).subscriptions(topicArn);
  } catch (error) {
    throw toUserError(error, "Reading the topic's subscriptions");
  }
  const confirmed = subscriptions.filter(isConfirmed).length;
  return { ...plan, topicArn, parts, subscribers: { confirmed, unconfirmed: subscriptions.length - confirmed } };
}

/**
 * `remind`'s second half: publish each part, in order; returns their message ids. After Ctrl-C no
 * further part is published, and the error says how many were.
 */
export async function sendReminder(ctx: Context, plan: ReminderPlan): Promise<string[]> {
  const { topicArn } = plan;
  if (!topicArn) return [];
  const sns = await ctx.sns();
  const ids: string[] = [];
  for (const part of plan.parts) {
    if (ctx.signal.aborted) {
      throw new InterruptedError(`Interrupted: ${ids.length} of ${plan.parts.length} parts of the reminder sent.`);
    }
    try {
      ids.push(await ctx.inFlight.track("the reminder", () => sns.publish(topicArn, part.subject, part.message)));
    } catch (error) {
      const sent = plan.parts.length > 1 ? ` (${ids.length} of ${plan.parts.length} parts were sent)` : "";
      throw toUserError(error, `Publishing the reminder${sent}`);
    }
  }
  return ids;
}

/** A named execution that does not wait: refused with the reason `approve` gives. */
async function refuseNotWaiting(ctx: Context, arn: string, current: Parameters<typeof requireWaiting>[2]): Promise<never> {
  const sfn = await ctx.sfn();
  try {
    await requireWaiting(sfn, arn, (await loadExecutionWorkflow(sfn, arn)) ?? current, ctx);
  } catch (error) {
    throw toUserError(error, `Reading execution ${executionName(arn)}`);
  }
  // It waits now, but did not when the list was read: it started waiting in between.
  throw new NotFoundError(
    `Execution ${executionName(arn)} started waiting just now.`,
    `Run \`${suggestCommand(ctx, ["remind"])}\` again to include it.`,
  );
}

async function stackTopic(ctx: Context, stackName: string): Promise<string> {
  let topicArn: string | undefined;
  try {
    topicArn = await stackTopicArn(await ctx.cloudFormation(), stackName);
  } catch (error) {
    throw toUserError(error, "Finding the stack's SNS topic");
  }
  if (!topicArn) {
    throw new NotFoundError(`Stack ${stackName} has no SNS topic to send the reminder through.`, "Name one with --topic <ARN>.");
  }
  return topicArn;
}
