import { toUserError } from "../../aws/errors.js";
import type { ExecutionListItem, HistoryEvent, StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { mapLimit } from "../../lib/async.js";
import type { Cache } from "../../lib/cache.js";
import { DEFAULT_LIST_LIMIT } from "../../settings.js";
import { openSection, section, storeScope } from "../store.js";
import type { Workflow } from "../workflow/definition.js";
import { openWorkflow } from "../workflow/open.js";
import { NO_RECORD, type ReadBackDecision, readBackDecision } from "./decided-by.js";
import { classifyOutcome, decisionTimes, type OUTCOME_FILTERS, type OutcomeKind, STATUS_OF } from "./outcome.js";
import { MAX_REMEMBERED_INPUT } from "./waiting-cache.js";

/** One execution as `approvals list` reports it. Dates are ISO strings; none of it is secret. */
export interface ListedExecution {
  name: string;
  executionArn: string;
  /** The Step Functions status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED. */
  status: string;
  outcome: OutcomeKind;
  /** The `Status` the decision carried, for approved and rejected executions. */
  decision: string | null;
  error: string | null;
  cause: string | null;
  startDate: string;
  stopDate: string | null;
  /** When its callback task was scheduled (the token issued). */
  waitingSince: string | null;
  /** When the callback task was closed, or the execution ended without that. */
  decidedAt: string | null;
  /** The execution input, as a JSON string. */
  input: string | null;
  /** Who decided, through which door, why, and the decision's id, as the decision recorded them (null when absent). */
  decidedBy: string | null;
  via: string | null;
  reason: string | null;
  decisionId: string | null;
}

/** Options of {@link listExecutions}. */
export interface ListExecutionsOptions {
  /** Only this outcome; default all. */
  status?: (typeof OUTCOME_FILTERS)[number];
  /** Only executions started at or after this; default no bound. */
  since?: Date;
  /** Only executions whose recorded DecidedBy holds this text, in any case. Default all. */
  decidedBy?: string;
  /** At most this many, newest first. Default 20. */
  limit?: number;
  /** History reads in flight at once. Default 4. */
  concurrency?: number;
}

/** The store's section of decided and ended executions, one file per state machine. */
const ENDED = section("ended", isListedExecution);

/** Ended executions kept in the cache at most: the newest by start date. */
const MAX_REMEMBERED = 2000;

/**
 * `list`'s use case: the stack's executions of every status (or one outcome), newest first, each with
 * its outcome, when it was decided and how long it waited, read from its history. An ended execution
 * never changes, so what was read of it is kept in a private cache and never read again.
 */
export async function listExecutions(ctx: Context, options: ListExecutionsOptions = {}): Promise<ListedExecution[]> {
  const { sfn, stateMachineArn, workflow } = await openWorkflow(ctx);
  const scope = await storeScope(ctx);
  const cache = scope ? await openSection(scope, ENDED, stateMachineArn, { env: ctx.env }) : undefined;
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  const found: ListedExecution[] = [];
  const status = options.status ? STATUS_OF[options.status] : undefined;
  try {
    for await (const page of sfn.executionPages(stateMachineArn, { status, pageSize: 100 })) {
      const items = [...page].sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
      const recent = items.filter((item) => !options.since || (item.startDate?.getTime() ?? 0) >= options.since.getTime());
      // Read only as many histories at a time as could still be listed.
      for (let i = 0; i < recent.length && found.length < limit; ) {
        const batch = recent.slice(i, i + Math.max(limit - found.length, options.concurrency ?? 4));
        i += batch.length;
        const read = await mapLimit(batch, options.concurrency ?? 4, (item) => describe(sfn, item, workflow, cache));
        found.push(...read.filter((e) => (!options.status || e.outcome === options.status) && decidedByMatches(e, options.decidedBy)));
      }
      if (found.length >= limit || recent.length < items.length) break;
    }
  } catch (error) {
    throw toUserError(error, "Listing executions");
  }
  if (cache) {
    prune(cache);
    await cache.save();
  }
  return found.slice(0, limit);
}

async function describe(
  sfn: StepFunctions,
  item: ExecutionListItem,
  workflow: Workflow,
  cache: Cache<ListedExecution> | undefined,
): Promise<ListedExecution> {
  const arn = item.executionArn ?? "";
  const remembered = cache?.get(arn);
  if (remembered && remembered.startDate === item.startDate?.toISOString() && remembered.status !== "RUNNING") return remembered;
  const listed = listedOf(item, await sfn.fullHistory(arn), workflow);
  if (listed.status !== "RUNNING" && (listed.input?.length ?? 0) <= MAX_REMEMBERED_INPUT) cache?.set(arn, listed);
  return listed;
}

/** What `list` reports of an execution, from its list entry and its whole history. */
export function listedOf(item: ExecutionListItem, events: readonly HistoryEvent[], workflow: Workflow): ListedExecution {
  const times = decisionTimes(events, workflow);
  const ended = events.find((e) => e.type?.startsWith("Execution") && e.type !== "ExecutionStarted");
  const failure =
    ended?.executionFailedEventDetails ?? ended?.executionTimedOutEventDetails ?? ended?.executionAbortedEventDetails ?? undefined;
  const outcome = classifyOutcome(
    {
      status: item.status,
      output: ended?.executionSucceededEventDetails?.output,
      error: failure?.error,
      cause: failure?.cause,
      waiting: times.waiting,
    },
    workflow,
  );
  const started = events.find((e) => e.type === "ExecutionStarted");
  return {
    name: item.name ?? "",
    executionArn: item.executionArn ?? "",
    status: item.status ?? "UNKNOWN",
    outcome: outcome.kind,
    decision: outcome.decision ?? null,
    error: outcome.error ?? null,
    cause: outcome.cause ?? null,
    startDate: item.startDate?.toISOString() ?? "",
    stopDate: item.stopDate?.toISOString() ?? null,
    waitingSince: times.waitingSince?.toISOString() ?? null,
    decidedAt: item.status === "RUNNING" ? null : ((times.decidedAt ?? item.stopDate)?.toISOString() ?? null),
    input: started?.executionStartedEventDetails?.input ?? null,
    ...recordOf(readBackDecision(events, workflow)),
  };
}

/** The record fields of a decision read back, null when there is none. */
function recordOf(decision: ReadBackDecision | undefined): Pick<ListedExecution, "decidedBy" | "via" | "reason" | "decisionId"> {
  if (!decision) return NO_RECORD;
  return { decidedBy: decision.decidedBy, via: decision.via, reason: decision.reason, decisionId: decision.decisionId };
}

/** `--decided-by`: the text anywhere in the recorded DecidedBy, in any case; an execution without one never matches. */
function decidedByMatches(e: ListedExecution, text: string | undefined): boolean {
  if (text === undefined) return true;
  return Boolean(e.decidedBy?.toLowerCase().includes(text.toLowerCase()));
}

/** Keep the newest entries only: the cache must not grow without end. */
function prune(cache: Cache<ListedExecution>): void {
  const keys = cache.keys();
  if (keys.length <= MAX_REMEMBERED) return;
  const byAge = keys.sort((a, b) => (cache.get(b)?.startDate ?? "").localeCompare(cache.get(a)?.startDate ?? ""));
  for (const key of byAge.slice(MAX_REMEMBERED)) cache.delete(key);
}

function isListedExecution(value: unknown): value is ListedExecution {
  const v = value as Partial<ListedExecution> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.executionArn === "string" &&
    typeof v.startDate === "string" &&
    typeof v.status === "string" &&
    typeof v.outcome === "string" &&
    // Entries written before decisions carried a record are read again.
    "decidedBy" in v
  );
}

/** The names of the newest finished executions: one ListExecutions call, no history read (for completion). */
export async function recentEndedNames(ctx: Context, stateMachineArn: string, count = 50): Promise<string[]> {
  const sfn = await ctx.sfn();
  let page: ExecutionListItem[] = [];
  for await (page of sfn.executionPages(stateMachineArn, { pageSize: 100 })) break;
  return page
    .filter((e) => e.status !== "RUNNING" && e.name)
    .sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0))
    .slice(0, count)
    .map((e) => e.name as string);
}
