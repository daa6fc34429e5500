import { UsageError } from "../../errors.js";
import { parseDuration } from "../../lib/durations.js";
import { DEFAULT_LIST_LIMIT } from "../../settings.js";
import type { ListExecutionsOptions } from "./list-executions.js";
import { OUTCOME_FILTERS } from "./outcome.js";

/** The filters of {@link ListExecutionsOptions} as text, as a user types them; each optional. */
export type ListFilterText = { [K in Exclude<keyof ListExecutionsOptions, "concurrency">]?: string };

/** Most executions one `list` reports. */
export const MAX_LIMIT = 1000;
/** Whether a list of `count` executions stopped at its limit: older ones may be left out. */
export function reachedLimit(count: number, filter: { limit?: number }): boolean {
  return count === (filter.limit ?? DEFAULT_LIST_LIMIT);
}

/**
 * Check and convert `list`'s options before anything is sent: `--status` one of the outcomes,
 * `--since` a duration back from `now` (`90s`, `30m`, `12h`, `7d`, `2w`) or a date (`2026-11-30`,
 * an ISO time), `--limit` a whole number from 1 to 1,000, `--decided-by` some text. Throws a {@link UsageError} (exit 2).
 */
export function parseListFlags(flags: ListFilterText, now: Date): ListExecutionsOptions {
  const options: ListExecutionsOptions = {};
  if (flags.status !== undefined) {
    const status = flags.status.toLowerCase().replace(/_/g, "-");
    const known = OUTCOME_FILTERS.find((s) => s === status || s.replace("-", "") === status);
    if (!known) {
      throw new UsageError(`--status ${JSON.stringify(flags.status)} is not an outcome.`, `Use one of: ${OUTCOME_FILTERS.join(", ")}.`);
    }
    options.status = known;
  }
  if (flags.decidedBy !== undefined) {
    if (!flags.decidedBy.trim()) throw new UsageError("--decided-by must not be empty.", "Example: --decided-by alice");
    options.decidedBy = flags.decidedBy.trim();
  }
  if (flags.since !== undefined) options.since = parseSince(flags.since, now);
  if (flags.limit !== undefined) {
    const limit = /^\d{1,7}$/.test(flags.limit) ? Number(flags.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) {
      throw new UsageError(`--limit ${JSON.stringify(flags.limit)} is not a whole number from 1 to ${MAX_LIMIT}.`, "Example: --limit 50");
    }
    options.limit = limit;
  }
  return options;
}

/** A duration back from `now` (`30m`, `7d`) or a calendar date or ISO time. */
export function parseSince(text: string, now: Date): Date {
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration);
  const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text.trim())
    ? new Date(text.trim())
    : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--since ${JSON.stringify(text)} is neither a duration nor a date.`,
      "Examples: --since 30m, --since 7d, --since 2026-11-30, --since 2026-11-30T09:00:00Z",
    );
  }
  return date;
}
