import type { CloudFormationClient, StackEvent } from "@aws-sdk/client-cloudformation";
import { sleep } from "../../lib/async.js";
import { classifyStackStatus, type StackStatusKind } from "./status.js";

/** Options of {@link watchStack}. */
export interface WatchOptions {
  /** Only events at or after this moment are reported (the operation's start). */
  since: Date;
  /** Milliseconds between polls; default 2000, to stay well inside API limits. */
  pollMs?: number;
  /** Called with each new event, oldest first. */
  onEvent?: (event: StackEvent) => void;
  /** Aborts the wait (Ctrl-C); the stack operation goes on at AWS. */
  signal?: AbortSignal;
}

/** The end of a watched operation. */
export interface WatchResult {
  status: string;
  kind: StackStatusKind;
  reason: string | undefined;
  /** Every event seen, oldest first. */
  events: StackEvent[];
}

/**
 * Poll a stack's events until its status leaves *_IN_PROGRESS, reporting each new event once.
 * Polls once more after the end so the last failure reasons are not lost.
 */
export async function watchStack(cfn: CloudFormationClient, stackName: string, options: WatchOptions): Promise<WatchResult> {
  const { DescribeStacksCommand } = await import("@aws-sdk/client-cloudformation");
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  const pollMs = options.pollMs ?? 2000;
  const poll = async () => {
    for (const event of await newEvents(cfn, stackName, options.since, seen, options.signal)) {
      events.push(event);
      options.onEvent?.(event);
    }
  };
  for (;;) {
    await poll();
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }), { abortSignal: options.signal });
    const stack = Stacks?.[0];
    const status = stack?.StackStatus ?? "DELETE_COMPLETE";
    const kind = classifyStackStatus(status);
    if (kind !== "in-progress") {
      await poll();
      return { status, kind, reason: stack?.StackStatusReason, events };
    }
    await sleep(pollMs, options.signal);
  }
}

/** Events newer than `since` not yet seen, oldest first; reads pages only as far back as needed. */
async function newEvents(
  cfn: CloudFormationClient,
  stackName: string,
  since: Date,
  seen: Set<string>,
  abortSignal?: AbortSignal,
): Promise<StackEvent[]> {
  const { DescribeStackEventsCommand } = await import("@aws-sdk/client-cloudformation");
  const fresh: StackEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: nextToken }), { abortSignal });
    let reachedOld = false;
    for (const event of page.StackEvents ?? []) {
      const id = event.EventId ?? `${event.LogicalResourceId}/${event.ResourceStatus}/${event.Timestamp?.toISOString()}`;
      if ((event.Timestamp && event.Timestamp < since) || seen.has(id)) {
        reachedOld = true;
        continue;
      }
      seen.add(id);
      fresh.push(event);
    }
    nextToken = reachedOld ? undefined : page.NextToken;
  } while (nextToken);
  // Pages list newest first: reversed, a stable sort keeps events of the same instant in order.
  return fresh.reverse().sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
}
