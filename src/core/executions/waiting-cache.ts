import { createHash } from "node:crypto";
import type { ExecutionListItem, GetExecutionHistoryCommandOutput, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { sendWithoutThrottlingRetries } from "../../aws/throttling.js";
import { type Cache, type CacheOptions, openCache, removeCache } from "../../lib/cache.js";
import { endsRightAfterCallback, type Workflow } from "../workflow/definition.js";
import { newestFirst, type WaitingState } from "./history.js";

/**
 * What `pending` remembers of an execution it saw waiting. While an execution waits, none of
 * this changes: the token, when it began waiting and its input are fixed until it is decided.
 */
export interface RememberedWait {
  /** The task token: a bearer secret, which is why cache files are 0600. */
  token: string;
  /** ISO time the callback task was scheduled. */
  waitingSince: string;
  /** ISO start time: with the ARN, it tells a reused execution name from the one remembered. */
  startDate: string;
  /** The callback state's input, as a JSON string. */
  input?: string;
  /** The newest history event id when it was seen waiting: an unchanged history still waits. */
  lastEventId: number;
  /** {@link definitionFingerprint} of the definition deployed when it was first seen waiting. */
  definition: string;
}

/** Remembered waiting executions of one state machine, keyed by execution ARN. */
export type WaitingCache = Cache<RememberedWait>;

/** Inputs larger than this are read from history each time rather than copied to disk. */
export const MAX_REMEMBERED_INPUT = 32 * 1024;

/** The cache scope of a state machine: the endpoint (or `aws`) and its ARN, which holds region and account. */
export function waitingScope(stateMachineArn: string, endpoint: string | undefined): string {
  return `${endpoint ?? "aws"} ${stateMachineArn}`;
}

/** Open the waiting-execution cache of a state machine. */
export function openWaitingCache(
  stateMachineArn: string,
  endpoint: string | undefined,
  options: Omit<CacheOptions<RememberedWait>, "validate"> = {},
): Promise<WaitingCache> {
  return openCache("waiting", waitingScope(stateMachineArn, endpoint), { ...options, validate: isRememberedWait });
}

/** Delete the waiting-execution cache of a state machine (one the stack no longer has). */
export function removeWaitingCache(
  stateMachineArn: string,
  endpoint: string | undefined,
  options: { env: NodeJS.ProcessEnv },
): Promise<void> {
  return removeCache("waiting", waitingScope(stateMachineArn, endpoint), options);
}

/** A short hash of the states of a definition: tells whether the deployed definition changed. */
function definitionFingerprint(workflow: Workflow): string {
  return createHash("sha256").update(JSON.stringify(workflow.states)).digest("hex").slice(0, 16);
}

/** Whether a cached value has the shape of a {@link RememberedWait}; anything else is dropped. */
function isRememberedWait(value: unknown): value is RememberedWait {
  const v = value as Partial<RememberedWait> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.token === "string" &&
    v.token.length > 0 &&
    isIsoDate(v.waitingSince) &&
    isIsoDate(v.startDate) &&
    (v.input === undefined || typeof v.input === "string") &&
    Number.isInteger(v.lastEventId) &&
    typeof v.definition === "string"
  );
}

function isIsoDate(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}

/** How far remembered entries can be trusted under the deployed definition. */
export interface RecallPolicy {
  /** {@link definitionFingerprint} of the deployed definition. */
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
  return { fingerprint: definitionFingerprint(workflow), trustRunning: endsRightAfterCallback(workflow) };
}

/** Drop the entries of executions not in the RUNNING list; returns how many were dropped. */
export function forgetEnded(cache: WaitingCache, running: readonly ExecutionListItem[]): number {
  const listed = new Set(running.map((item) => item.executionArn));
  let dropped = 0;
  for (const arn of cache.keys()) {
    if (listed.has(arn)) continue;
    cache.delete(arn);
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
export async function recall(sfn: SFNClient, cache: WaitingCache, item: ExecutionListItem, policy: RecallPolicy): Promise<Recalled> {
  const arn = item.executionArn ?? "";
  const entry = cache.get(arn);
  if (!entry) return { kind: "unknown", forgotten: false };
  // The start date tells a new execution that reuses a name from the one remembered.
  if (entry.startDate === item.startDate?.toISOString()) {
    if (policy.trustRunning && entry.definition === policy.fingerprint) return { kind: "remembered", entry };
    if ((await newestEventId(sfn, arn)) === entry.lastEventId) return { kind: "verified", entry };
  }
  cache.delete(arn);
  return { kind: "unknown", forgotten: true };
}

/** Remember an execution just seen waiting (unless its input is too large to copy to disk). */
export function remember(
  cache: WaitingCache,
  executionArn: string,
  seen: { startDate: Date; waiting: WaitingState; events: readonly HistoryEvent[]; policy: RecallPolicy },
): void {
  const { waiting } = seen;
  if ((waiting.input?.length ?? 0) > MAX_REMEMBERED_INPUT) return;
  cache.set(executionArn, {
    token: waiting.token,
    waitingSince: waiting.waitingSince.toISOString(),
    startDate: seen.startDate.toISOString(),
    input: waiting.input,
    lastEventId: Math.max(0, ...seen.events.map((e) => e.id ?? 0)),
    definition: seen.policy.fingerprint,
  });
}

/** The id of an execution's newest history event: one event, without execution data. */
async function newestEventId(sfn: SFNClient, executionArn: string): Promise<number | undefined> {
  const { GetExecutionHistoryCommand } = await import("../../aws/sdk/sfn.js");
  // Read under pending's adaptive window, which handles throttling itself.
  const page = await sendWithoutThrottlingRetries<GetExecutionHistoryCommandOutput>(
    sfn,
    new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1, includeExecutionData: false }),
  );
  // Sorted here as well: an emulator may ignore reverseOrder and maxResults.
  return newestFirst(page.events ?? [])[0]?.id;
}
