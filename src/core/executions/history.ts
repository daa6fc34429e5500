import type { HistoryEvent } from "../../aws/sfn.js";

/** An execution paused at the callback state, with the token that resumes it. */
export interface WaitingState {
  /** The task token: a bearer secret. Never print it unless the user asks. */
  token: string;
  /** The callback state it waits in. */
  stateName: string;
  /** When the task was scheduled, i.e. when the token was issued. */
  waitingSince: Date;
  /** The state's input (the execution input for the template), when the history carried it. */
  input: string | undefined;
  /** The id of the task's TaskScheduled event: with the execution, names the task. */
  scheduledEventId: number;
}

const OPEN_TASK_EVENTS = new Set(["TaskScheduled", "TaskStarted", "TaskSubmitted"]);

/** History events newest first, whatever order the service returned them in. */
export function newestFirst(events: readonly HistoryEvent[]): HistoryEvent[] {
  return [...events].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
}

/**
 * Whether the history ends with the callback state waiting for its token: the state was entered,
 * its task scheduled (and maybe started and submitted), and nothing has closed it since.
 * Needs only the newest few events, with execution data (the token is in the scheduled parameters).
 */
export function waitingState(events: readonly HistoryEvent[], callbackState: string): WaitingState | undefined {
  let scheduled: HistoryEvent | undefined;
  for (const event of newestFirst(events)) {
    const type = event.type ?? "";
    if (!scheduled) {
      if (!OPEN_TASK_EVENTS.has(type)) return undefined;
      if (type === "TaskScheduled") scheduled = event;
      continue;
    }
    if (type !== "TaskStateEntered") continue;
    const details = event.stateEnteredEventDetails;
    if (details?.name !== callbackState) return undefined;
    const token = findTaskToken(scheduled.taskScheduledEventDetails?.parameters);
    if (!token) return undefined;
    return {
      token,
      stateName: callbackState,
      waitingSince: scheduled.timestamp ?? new Date(0),
      input: details.input,
      scheduledEventId: scheduled.id ?? 0,
    };
  }
  return undefined;
}

/**
 * The task token in a TaskScheduled event's parameters: the context object's `Task.Token`
 * (passed as `"ExecutionContext.$": "$$"` by the template), or a field named like `TaskToken`.
 */
export function findTaskToken(parameters: string | undefined): string | undefined {
  if (!parameters) return undefined;
  try {
    return searchToken(JSON.parse(parameters));
  } catch {
    return undefined;
  }
}

/**
 * Every task token in a TaskScheduled event's parameters, the one {@link findTaskToken} picks first:
 * for redaction, where a look-alike (a `Token` field anywhere) is better hidden than printed.
 */
export function findTaskTokens(parameters: string | undefined): string[] {
  if (!parameters) return [];
  let value: unknown;
  try {
    value = JSON.parse(parameters);
  } catch {
    return [];
  }
  const found = new Set<string>();
  const first = searchToken(value);
  if (first) found.add(first);
  const walk = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (/^(task_?)?token$/i.test(key) && typeof child === "string") found.add(child);
      else walk(child);
    }
  };
  walk(value);
  return [...found];
}

function searchToken(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  const task = record.Task as Record<string, unknown> | undefined;
  if (task && typeof task.Token === "string") return task.Token;
  for (const [key, child] of Object.entries(record)) {
    if (/^task_?token$/i.test(key) && typeof child === "string") return child;
    const found = searchToken(child);
    if (found) return found;
  }
  return undefined;
}

/** How the callback task of an execution ended, read from its history, for "already decided" messages. */
export interface TaskOutcome {
  kind: "succeeded" | "failed" | "timed-out";
  /** The `Status` sent with SendTaskSuccess, e.g. `Approved! Task approved by ...`. */
  status?: string;
  error?: string;
  cause?: string;
  at?: Date;
}

/** The newest task outcome in the history, if any. */
export function lastTaskOutcome(events: readonly HistoryEvent[]): TaskOutcome | undefined {
  for (const event of newestFirst(events)) {
    switch (event.type) {
      case "TaskSucceeded":
        return { kind: "succeeded", status: statusOf(event.taskSucceededEventDetails?.output), at: event.timestamp };
      case "TaskFailed":
        return {
          kind: "failed",
          error: event.taskFailedEventDetails?.error,
          cause: event.taskFailedEventDetails?.cause,
          at: event.timestamp,
        };
      case "TaskTimedOut":
        return { kind: "timed-out", at: event.timestamp };
    }
  }
  return undefined;
}

/** The `Status` field of a task or execution output (the decision sent), if it has one. */
export function statusOf(output: string | undefined): string | undefined {
  try {
    const status = JSON.parse(output ?? "null")?.Status;
    return typeof status === "string" ? status : undefined;
  } catch {
    return undefined;
  }
}

/** Replace every occurrence of the given tokens (raw or URL-encoded) in a text by a placeholder. */
export function redactTokens(text: string, tokens: Iterable<string>): string {
  const forms = [...tokens].filter(Boolean).flatMap((token) => [token, encodeURIComponent(token)]);
  if (forms.length === 0) return text;
  // One pass, longest first: a later token must not match inside an earlier placeholder or a longer token.
  const escaped = [...new Set(forms)].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return text.replace(new RegExp(escaped.join("|"), "g"), "[task token redacted]");
}
