import type { CloudFormation, StackEvent } from "../../aws/cloudformation.js";
import type { Context } from "../../context.js";
import { classifyStackStatus, type StackStatusKind } from "./status.js";

/** The end of a watched operation. */
export interface WatchResult {
  status: string;
  kind: StackStatusKind;
  reason: string | undefined;
  /** Every event seen, oldest first. */
  events: StackEvent[];
}

/**
 * Poll a stack's events every `ctx.pollMs` until its status leaves *_IN_PROGRESS, emitting each
 * event at or after `since` once, oldest first. Polls once more after the end so the last failure
 * reasons are not lost. `ctx.signal` aborts the wait (Ctrl-C); the operation goes on at AWS.
 * `belongs`, when given, keeps only the events of this operation: `since` allows for clock skew, so
 * the end of an operation that finished a moment before can fall inside it.
 */
export async function watchStack(
  ctx: Context,
  stackName: string,
  since: Date,
  belongs: (event: StackEvent) => boolean = () => true,
): Promise<WatchResult> {
  const cfn = await ctx.cloudFormation();
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  const poll = async () => {
    for (const event of await newEvents(cfn, stackName, since, seen, ctx.signal)) {
      if (!belongs(event)) continue;
      events.push(event);
      ctx.emit({ type: "stack-event", event });
    }
  };
  for (;;) {
    await poll();
    const stack = await cfn.describeStack(stackName, { abortSignal: ctx.signal });
    const status = stack?.StackStatus ?? "DELETE_COMPLETE";
    const kind = classifyStackStatus(status);
    if (kind !== "in-progress") {
      await poll();
      return { status, kind, reason: stack?.StackStatusReason, events };
    }
    await ctx.sleep(ctx.pollMs, ctx.signal);
  }
}

/** Events newer than `since` not yet seen, oldest first; reads pages only as far back as needed. */
async function newEvents(
  cfn: CloudFormation,
  stackName: string,
  since: Date,
  seen: Set<string>,
  abortSignal?: AbortSignal,
): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  for await (const page of cfn.stackEventPages(stackName, { abortSignal })) {
    let reachedOld = false;
    for (const event of page) {
      const id = event.EventId ?? `${event.LogicalResourceId}/${event.ResourceStatus}/${event.Timestamp?.toISOString()}`;
      if ((event.Timestamp && event.Timestamp < since) || seen.has(id)) {
        reachedOld = true;
        continue;
      }
      seen.add(id);
      fresh.push(event);
    }
    if (reachedOld) break;
  }
  // Pages list newest first: reversed, a stable sort keeps events of the same instant in order.
  return fresh.reverse().sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
}
