import { isDeepStrictEqual } from "node:util";
import type { HistoryEvent, StepFunctions } from "../../aws/sfn.js";
import { decisionIdOf } from "../workflow/decision-record.js";
import { findTaskToken } from "./history.js";

/**
 * How long reading the history after a lost reply may take: the answer says what to report, but a
 * dead endpoint must not hold the command for another round of retries.
 */
export const SETTLE_READ_MS = 8_000;

/** Every event of an execution's history, with execution data, within {@link SETTLE_READ_MS}. */
export function readHistoryToSettle(sfn: StepFunctions, executionArn: string): Promise<HistoryEvent[]> {
  return sfn.fullHistory(executionArn, { abortSignal: AbortSignal.timeout(SETTLE_READ_MS) });
}

/** The decision a callback task's history records: what closed the task issued with one token. */
export type RecordedDecision =
  | { kind: "succeeded"; output: string }
  | { kind: "failed"; error: string; cause: string }
  | { kind: "timed-out" };

/** What was sent, in the form history records it. */
export type SentDecision = { kind: "succeeded"; output: string } | { kind: "failed"; error: string; cause: string };

/**
 * The event that closed the task issued with `token`, from a history read oldest first with
 * execution data; undefined while the task is open (or when the token is not in this history).
 */
export function recordedDecision(events: readonly HistoryEvent[], token: string): RecordedDecision | undefined {
  const ordered = [...events].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const scheduled = ordered.findIndex(
    (e) => e.type === "TaskScheduled" && findTaskToken(e.taskScheduledEventDetails?.parameters) === token,
  );
  if (scheduled < 0) return undefined;
  for (const event of ordered.slice(scheduled + 1)) {
    switch (event.type) {
      case "TaskSucceeded":
        return { kind: "succeeded", output: event.taskSucceededEventDetails?.output ?? "" };
      case "TaskFailed":
        return { kind: "failed", error: event.taskFailedEventDetails?.error ?? "", cause: event.taskFailedEventDetails?.cause ?? "" };
      case "TaskTimedOut":
        return { kind: "timed-out" };
      case "TaskScheduled":
        // The next task: this one closed without a decision event we know.
        return undefined;
    }
  }
  return undefined;
}

/** Whose decision the history holds, after a send whose answer did not come back. */
export type Whose = "ours" | "same" | "theirs" | "none";

/**
 * Whose decision the history holds, after a send whose answer did not come back: `ours` when it
 * carries the DecisionId this CLI sent (only the reply was lost), `theirs` when it differs, `none`
 * when the task is still open (nothing sent reached Step Functions). A decision sent without an id
 * (`--exact-payload`) is ours when its text is byte for byte what was sent; when it differs only in
 * spacing (nothing promises the text is kept as sent) it is `same`: a decision with this payload,
 * which may be ours or another's.
 */
export function whoseDecision(recorded: RecordedDecision | undefined, sent: SentDecision): Whose {
  if (!recorded) return "none";
  if (recorded.kind === "succeeded" && sent.kind === "succeeded") return compare(recorded.output, sent.output);
  if (recorded.kind === "failed" && sent.kind === "failed") {
    return recorded.error === sent.error ? compare(recorded.cause, sent.cause) : "theirs";
  }
  return "theirs";
}

function compare(recorded: string, sent: string): Whose {
  const id = decisionIdOf(sent);
  if (id !== undefined) return decisionIdOf(recorded) === id ? "ours" : "theirs";
  if (recorded === sent) return "ours";
  return sameJson(recorded, sent) ? "same" : "theirs";
}

/** Both texts parse as JSON and hold the same value. */
function sameJson(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}
