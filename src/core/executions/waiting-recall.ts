// How far `pending` trusts what it remembered of the stack's waiting tasks (waiting-cache.ts): which
// entries still hold, checked with RUNNING alone or one newest-event read, and what to remember.
import type { ExecutionListItem, HistoryEvent, WindowReads } from "../../aws/sfn.js";
import { endsRightAfterCallback, type Workflow } from "../workflow/definition.js";
import type { WaitingState } from "./history.js";
import {
  forgetExecution,
  MAX_REMEMBERED_INPUT,
  newestTask,
  type RememberedWait,
  type WaitingCache,
  waitKey,
  waitsByExecution,
} from "./waiting-cache.js";

/** How far remembered entries can be trusted under the deployed definition. */
export interface RecallPolicy {
  /** The deployed definition's fingerprint ({@link Workflow.fingerprint}). */
  fingerprint: string;
  /** Whether only Choice, Pass, Succeed and Fail states follow the callback state (its Catch targets too), and it has no Retry. */
  trustRunning: boolean;
}

/**
 * The recall policy for a deployed workflow: RUNNING alone is trusted by the one rule of
 * {@link endsRightAfterCallback} (no Retry on the callback; only instant states after it, where
 * its Catch leads included).
 */
export function recallPolicy(workflow: Workflow): RecallPolicy {
  return { fingerprint: workflow.fingerprint, trustRunning: endsRightAfterCallback(workflow) };
}

/** Drop the entries of executions not in the RUNNING list; returns how many were dropped. */
export function forgetEnded(cache: WaitingCache, running: readonly ExecutionListItem[]): number {
  const listed = new Set(running.map((item) => item.executionArn));
  let dropped = 0;
  for (const key of cache.keys()) {
    if (listed.has(cache.get(key)?.executionArn)) continue;
    cache.delete(key);
    dropped++;
  }
  return dropped;
}

/** What the cache says about a RUNNING execution. */
export type Recalled =
  | { kind: "remembered" | "verified"; entry: RememberedWait }
  | { kind: "unknown" /** An entry existed but no longer holds, and was dropped. */; forgotten: boolean };

/**
 * Whether a RUNNING execution provably still waits as remembered. RUNNING alone proves it when
 * nothing but Choice, Pass, Succeed and Fail states follow the callback in the definition it was
 * first seen under (a decided execution leaves RUNNING within milliseconds); otherwise one
 * newest-event history read must show nothing happened since it was seen waiting.
 */
export async function recall(
  reads: Pick<WindowReads, "newestEventId">,
  cache: WaitingCache,
  item: ExecutionListItem,
  policy: RecallPolicy,
  index: ReadonlyMap<string, readonly RememberedWait[]> = waitsByExecution(cache),
): Promise<Recalled> {
  const arn = item.executionArn ?? "";
  const entries = index.get(arn) ?? [];
  const entry = newestTask(entries);
  if (!entry) return { kind: "unknown", forgotten: false };
  // The start date tells a new execution that reuses a name from the one remembered.
  if (entries.length === 1 && entry.startDate === item.startDate?.toISOString()) {
    if (policy.trustRunning && entry.definition === policy.fingerprint) return { kind: "remembered", entry };
    if ((await reads.newestEventId(arn)) === entry.lastEventId) return { kind: "verified", entry };
  }
  for (const e of entries) cache.delete(waitKey(arn, e.scheduledEventId));
  return { kind: "unknown", forgotten: true };
}

/**
 * Remember the task an execution was just seen waiting on (unless its input is too large to copy
 * to disk), in place of any other task remembered of it: what was just read is all that waits.
 */
export function remember(
  cache: WaitingCache,
  executionArn: string,
  seen: { startDate: Date; waiting: WaitingState; events: readonly HistoryEvent[]; policy: RecallPolicy },
): void {
  const { waiting } = seen;
  forgetExecution(cache, executionArn);
  if ((waiting.input?.length ?? 0) > MAX_REMEMBERED_INPUT) return;
  cache.set(waitKey(executionArn, waiting.scheduledEventId), {
    executionArn,
    scheduledEventId: waiting.scheduledEventId,
    token: waiting.token,
    waitingSince: waiting.waitingSince.toISOString(),
    startDate: seen.startDate.toISOString(),
    input: waiting.input,
    lastEventId: Math.max(0, ...seen.events.map((e) => e.id ?? 0)),
    definition: seen.policy.fingerprint,
  });
}
