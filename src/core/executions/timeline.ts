import type { HistoryEvent } from "../../aws/sfn.js";
import { newestFirst, redactTokens } from "./history.js";

/** One history event, as `show` lists it. Never carries a task token. */
export interface TimelineEntry {
  id: number;
  timestamp: string | null;
  /** Milliseconds since the execution started. */
  elapsedMs: number | null;
  type: string;
  /** The state the event belongs to, if any. */
  state: string | null;
  /** A short description: the task's resource, the decision received, an error. */
  detail: string | null;
}

/**
 * The history as a timeline, oldest first: each event with the state it belongs to and a short
 * detail. Details never include task parameters, and any token found is redacted.
 */
export function timelineOf(events: readonly HistoryEvent[], startDate: Date | undefined, tokens: readonly string[]): TimelineEntry[] {
  const start = startDate?.getTime() ?? newestFirst(events).at(-1)?.timestamp?.getTime();
  let state: string | undefined;
  return newestFirst(events)
    .reverse()
    .map((event) => {
      const type = event.type ?? "Unknown";
      const named = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
      if (type.endsWith("StateEntered")) state = named;
      const entry: TimelineEntry = {
        id: event.id ?? 0,
        timestamp: event.timestamp?.toISOString() ?? null,
        elapsedMs: event.timestamp && start !== undefined ? event.timestamp.getTime() - start : null,
        type,
        state: type.startsWith("Execution") ? null : (named ?? state ?? null),
        detail: detailOf(event),
      };
      if (type.endsWith("StateExited")) state = undefined;
      if (entry.detail) entry.detail = redactTokens(entry.detail, tokens);
      return entry;
    });
}

function detailOf(event: HistoryEvent): string | null {
  const failure = (d?: { error?: string; cause?: string }) =>
    d && (d.error || d.cause) ? [d.error, d.cause].filter(Boolean).join(": ") : null;
  const scheduled = event.taskScheduledEventDetails;
  if (scheduled) return `${scheduled.resourceType}:${scheduled.resource}`;
  if (event.taskSucceededEventDetails) return compact(event.taskSucceededEventDetails.output);
  if (event.executionStartedEventDetails) return compact(event.executionStartedEventDetails.input);
  if (event.executionSucceededEventDetails) return compact(event.executionSucceededEventDetails.output);
  return (
    failure(event.taskFailedEventDetails) ??
    failure(event.taskTimedOutEventDetails) ??
    failure(event.executionFailedEventDetails) ??
    failure(event.executionTimedOutEventDetails) ??
    failure(event.executionAbortedEventDetails) ??
    failure(event.lambdaFunctionFailedEventDetails) ??
    failure(event.taskSubmitFailedEventDetails) ??
    failure(event.taskStartFailedEventDetails) ??
    null
  );
}

/** JSON text on one line (re-serialised so spacing does not vary), or the text as it was. */
function compact(text: string | undefined): string | null {
  if (text === undefined) return null;
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text.replace(/\s+/g, " ");
  }
}
