// What `pending` remembers of the stack's waiting tasks between runs, keyed by task; how far it is
// trusted, and what is remembered, is in waiting-recall.ts.
import type { Cache } from "../../lib/cache.js";
import { openSection, removeSection, type StoreOptions, type StoreScope, section } from "../store.js";

/**
 * What `pending` remembers of a task it saw waiting, keyed by task (see {@link waitKey}) as
 * `pending --state-machine`'s cache is. While the task waits, none of this changes: the token, when
 * it began waiting and its input are fixed until it is decided.
 */
export interface RememberedWait {
  executionArn: string;
  /** The id of the task's TaskScheduled event. */
  scheduledEventId: number;
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
  /** The fingerprint (`definitionHash`) of the definition deployed when it was first seen waiting. */
  definition: string;
}

/** Remembered waiting tasks of one state machine, keyed by {@link waitKey}. */
export type WaitingCache = Cache<RememberedWait>;

/**
 * The cache key of a waiting task: its execution and the id of its TaskScheduled event. A token
 * belongs to one task: an execution that waits again (a loop back to the callback) has a new one.
 */
export const waitKey = (executionArn: string, scheduledEventId: number) => `${executionArn}#${scheduledEventId}`;

/** The remembered tasks of each execution: built once per listing rather than searched per execution. */
export function waitsByExecution(cache: WaitingCache): Map<string, RememberedWait[]> {
  const index = new Map<string, RememberedWait[]>();
  for (const key of cache.keys()) {
    const entry = cache.get(key);
    if (entry) index.set(entry.executionArn, [...(index.get(entry.executionArn) ?? []), entry]);
  }
  return index;
}

/** Forget every remembered task of an execution (decided, ended, or read again). */
export function forgetExecution(cache: WaitingCache, executionArn: string): void {
  for (const key of cache.keys()) if (cache.get(key)?.executionArn === executionArn) cache.delete(key);
}

/** The task remembered last of an execution's entries. */
export function newestTask(entries: readonly RememberedWait[]): RememberedWait | undefined {
  return entries.reduce<RememberedWait | undefined>((a, b) => (a && a.scheduledEventId > b.scheduledEventId ? a : b), undefined);
}

/** Inputs larger than this are read from history each time rather than copied to disk. */
export const MAX_REMEMBERED_INPUT = 32 * 1024;

/** The store's section of waiting tasks, one file per state machine. */
const WAITING = section("waiting", isRememberedWait);

/** Open the waiting tasks remembered of a state machine in the run's scope. */
export function openWaitingCache(scope: StoreScope, stateMachineArn: string, options: StoreOptions): Promise<WaitingCache> {
  return openSection(scope, WAITING, stateMachineArn, options);
}

/** Forget the waiting tasks of a state machine (one the stack no longer has). */
export function removeWaitingCache(scope: StoreScope, stateMachineArn: string, options: StoreOptions): Promise<void> {
  return removeSection(scope, WAITING, stateMachineArn, options);
}

/** Whether a cached value has the shape of a {@link RememberedWait}; anything else is dropped. */
function isRememberedWait(value: unknown): value is RememberedWait {
  const v = value as Partial<RememberedWait> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.executionArn === "string" &&
    Number.isInteger(v.scheduledEventId) &&
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
