import type { DecisionOutcome } from "../core/executions/decide-batch.js";
import { ExitCode } from "../errors.js";

const PAST = { approve: "approved", reject: "rejected", fail: "failed" } as const;

/** What became of one execution of a batch, as the summary line counts it. */
function categoryOf(o: DecisionOutcome): string {
  if (o.sent) {
    if (o.exitCode === 0) return PAST[o.decision];
    return o.result && !o.result.finished ? "still running" : "sent, not followed";
  }
  if (o.exitCode === ExitCode.NOT_FOUND) return /does not exist/.test(o.error ?? "") ? "not found" : "not waiting";
  return o.exitCode === ExitCode.FAILED ? "failed at AWS" : "not sent";
}

/**
 * The line that ends a batch in which something went wrong, e.g. "2 approved, 1 not waiting":
 * the decided first, then each other kind of outcome with its count, in the order first met.
 * Undefined when all went well.
 */
export function batchSummary(outcomes: readonly DecisionOutcome[]): string | undefined {
  if (outcomes.length < 2 || outcomes.every((o) => o.exitCode === 0)) return undefined;
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(categoryOf(o), (counts.get(categoryOf(o)) ?? 0) + 1);
  const decided = Object.values(PAST) as string[];
  return [...counts]
    .sort(([a], [b]) => Number(decided.includes(b)) - Number(decided.includes(a)))
    .map(([category, n]) => `${n} ${category}`)
    .join(", ");
}
