// Which callback tasks of an execution wait now, read from its history and its definition alone:
// pure, so every shape Step Functions records (Parallel branches, Map iterations, tasks one after
// another, events of several tasks interleaved) is tested without AWS.
import type { HistoryEvent } from "../../aws/sfn.js";
import { findTaskToken } from "../executions/history.js";
import { type CallbackTask, type DefinitionDocument, findCallbackTasks, locateState, own } from "../workflow/callbacks.js";
import { tokenPlaces } from "./token-place.js";

/** One callback task waiting for its token, as the history shows it. */
export interface OpenTask {
  /** The task state's name (untrusted: it comes from the definition). */
  state: string;
  /** The callback task in the definition (its path through Parallel and Map states). */
  task: CallbackTask;
  /** The Map iteration it runs in (innermost), when inside a Map. */
  mapIndex: number | undefined;
  /** When its TaskScheduled event was recorded. */
  waitingSince: Date;
  /** The task's own timeout from its TaskScheduled event, in seconds, when it has one. */
  timeoutSeconds: number | undefined;
  /** The task token from its own TaskScheduled event; undefined when it is not where the definition puts it. */
  token: string | undefined;
  /** The state's input, when the history carries it. */
  input: string | undefined;
  /** The id of its TaskScheduled event. */
  scheduledEventId: number;
}

/** Events that end a task: after one, its token is spent. */
const CLOSING = new Set([
  "TaskSucceeded",
  "TaskFailed",
  "TaskTimedOut",
  "TaskAborted",
  "TaskStartFailed",
  "TaskSubmitFailed",
  "TaskStateAborted",
  "TaskStateExited",
]);

/** Events of one task's life that point back, through `previousEventId`, to its TaskScheduled. */
const TASK_CHAIN = new Set(["TaskStarted", "TaskSubmitted", ...CLOSING]);

/**
 * The callback tasks that wait in an execution's history: each TaskScheduled of a callback state
 * that no closing event links back to. Step Functions links a task's events one to the next by
 * `previousEventId` (TaskScheduled → TaskStarted → TaskSubmitted → TaskSucceeded), whatever other
 * branch's events come between; the state's TaskStateEntered leads back to a MapIterationStarted
 * that gives the Map index. The history may come in any order and need not be complete at the
 * start: only the events from each task's TaskStateEntered on are needed. Tasks come in the
 * definition's order, those of one Map state by iteration index.
 */
export function openTasks(events: readonly HistoryEvent[], definition: DefinitionDocument): OpenTask[] {
  const byId = eventsById(events);
  const closed = new Set<number>();
  for (const e of byId.values()) {
    if (!CLOSING.has(e.type ?? "")) continue;
    const id = scheduledOf(e, byId);
    if (id !== undefined) closed.add(id);
  }
  const tasks = findCallbackTasks(definition);
  const open: OpenTask[] = [];
  for (const e of [...byId.values()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) {
    if (e.type !== "TaskScheduled" || closed.has(e.id ?? -1)) continue;
    const entered = byId.get(e.previousEventId ?? -1);
    const state = entered?.type === "TaskStateEntered" ? entered.stateEnteredEventDetails?.name : undefined;
    const task = tasks.find((t) => t.name === state);
    if (!entered || !state || !task) continue;
    const details = e.taskScheduledEventDetails;
    open.push({
      state,
      task,
      mapIndex: mapIndexOf(entered, byId),
      waitingSince: e.timestamp ?? new Date(0),
      timeoutSeconds: details?.timeoutInSeconds ?? undefined,
      token: tokenIn(details?.parameters, definition, task),
      input: entered.stateEnteredEventDetails?.input,
      scheduledEventId: e.id ?? 0,
    });
  }
  return sortTasks(open, tasks);
}

/** Tasks in the definition's order, Map iterations by index: the order they were scheduled in varies from run to run. */
export function sortTasks(open: OpenTask[], callbacks: readonly CallbackTask[]): OpenTask[] {
  const order = (t: OpenTask) => callbacks.findIndex((c) => JSON.stringify(c.path) === JSON.stringify(t.task.path));
  return open.sort((a, b) => order(a) - order(b) || (a.mapIndex ?? 0) - (b.mapIndex ?? 0) || a.scheduledEventId - b.scheduledEventId);
}

/**
 * The event that closed the task scheduled by event `scheduledEventId` (TaskSucceeded, TaskFailed,
 * TaskTimedOut ...), found through its `previousEventId` chain; undefined while the task is open.
 */
export function closingEvent(events: readonly HistoryEvent[], scheduledEventId: number): HistoryEvent | undefined {
  const byId = eventsById(events);
  return [...byId.values()]
    .sort((a, b) => (a.id ?? 0) - (b.id ?? 0))
    .find((e) => CLOSING.has(e.type ?? "") && e.type !== "TaskStateExited" && scheduledOf(e, byId) === scheduledEventId);
}

function eventsById(events: readonly HistoryEvent[]): Map<number, HistoryEvent> {
  const byId = new Map<number, HistoryEvent>();
  for (const e of events) if (e.id !== undefined) byId.set(e.id, e);
  return byId;
}

/** The id of the TaskScheduled a task event belongs to, back along `previousEventId` through the task's own events. */
function scheduledOf(event: HistoryEvent, byId: ReadonlyMap<number, HistoryEvent>): number | undefined {
  let current: HistoryEvent | undefined = event;
  for (let hops = 0; current && hops < 16; hops++) {
    if (current.type === "TaskScheduled") return current.id;
    if (!TASK_CHAIN.has(current.type ?? "")) return undefined;
    current = byId.get(current.previousEventId ?? -1);
  }
  return undefined;
}

/** The index of the innermost Map iteration an event belongs to: back along `previousEventId`. */
function mapIndexOf(event: HistoryEvent, byId: ReadonlyMap<number, HistoryEvent>): number | undefined {
  let current: HistoryEvent | undefined = event;
  for (let hops = 0; current && hops < 10_000; hops++) {
    if (current.type === "MapIterationStarted") return current.mapIterationStartedEventDetails?.index;
    if (current.type === "MapStateStarted" || current.type === "ExecutionStarted") return undefined;
    current = byId.get(current.previousEventId ?? -1);
  }
  return undefined;
}

/**
 * The token in a TaskScheduled event's parameters: at the place the task's Parameters (or
 * Arguments) put `$$.Task.Token` (or `$states.context.Task.Token`), else where the template's
 * shape (`Task.Token`, a `TaskToken` field) says.
 */
function tokenIn(parameters: string | undefined, definition: DefinitionDocument, task: CallbackTask): string | undefined {
  if (!parameters) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(parameters);
  } catch {
    return undefined;
  }
  const state = locateState(definition, task.path)?.state;
  for (const place of tokenPlaces(state)) {
    let node: unknown = value;
    for (const key of place) node = node && typeof node === "object" ? own(node as Record<string, unknown>, key) : undefined;
    if (typeof node === "string" && node.length > 0) return node;
  }
  return findTaskToken(parameters);
}
