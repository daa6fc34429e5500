import type { DescribedExecution, HistoryEvent } from "../../aws/sfn.js";
import { jsonOrText } from "../../lib/json.js";
import type { Workflow } from "../workflow/definition.js";
import { branchTaken, type GraphState, markedStates, traceExecution } from "../workflow/graph.js";
import { NO_RECORD, readBackDecision } from "./decided-by.js";
import { findTaskTokens, newestFirst } from "./history.js";
import { type TimelineEntry, timelineOf } from "./timeline.js";

/** The names of the states an execution entered, in order. */
export function visitedStates(events: readonly HistoryEvent[]): string[] {
  return events.flatMap((e) =>
    e.type?.endsWith("StateEntered") && e.stateEnteredEventDetails?.name ? [e.stateEnteredEventDetails.name] : [],
  );
}

/** The state the execution is in now: the newest entered state not yet exited, if any. */
export function currentState(events: readonly HistoryEvent[]): string | undefined {
  for (const event of newestFirst(events)) {
    if (event.type?.endsWith("StateExited")) return undefined;
    if (event.type?.endsWith("StateEntered")) return event.stateEnteredEventDetails?.name;
    if (event.type?.startsWith("Execution") && event.type !== "ExecutionStarted") return undefined;
  }
  return undefined;
}

/** Every task token an execution's history holds, to redact from anything printed. */
export function tokensIn(events: readonly HistoryEvent[]): string[] {
  return [...new Set(events.flatMap((event) => findTaskTokens(event.taskScheduledEventDetails?.parameters)))];
}

/** What `approvals show` reports about an execution. */
export interface ExecutionReport {
  name: string;
  executionArn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  currentState: string | null;
  /** The states it entered, in order: the same name as `approve --wait --json`'s `result.path`. */
  path: string[];
  /** The state the execution went to from the Choice state after the callback, once it has. */
  branch: string | null;
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
  /**
   * Who decided, as the decision recorded it (null when it carries no record, or has not been
   * decided): what the sender wrote, not proof (CloudTrail holds the real caller).
   */
  decidedBy: string | null;
  via: string | null;
  reason: string | null;
  decisionId: string | null;
  /** The deployed definition's states, marked with where this execution went. */
  graph: { startAt: string; states: GraphState[] } | null;
  timeline: TimelineEntry[];
}

/** Combine DescribeExecution, the history and the deployed workflow into a report: the one model `show` renders. */
export function executionReport(
  execution: DescribedExecution,
  events: readonly HistoryEvent[],
  workflow?: Pick<Workflow, "startAt" | "states" | "choiceState" | "callbackState">,
): ExecutionReport {
  const decided = workflow && readBackDecision(events, workflow);
  const trace = traceExecution(events, execution.status);
  const graph = workflow && { startAt: workflow.startAt, states: markedStates(workflow.states, trace) };
  return {
    name: execution.name ?? "",
    executionArn: execution.executionArn ?? "",
    status: execution.status ?? "UNKNOWN",
    startDate: execution.startDate?.toISOString() ?? null,
    stopDate: execution.stopDate?.toISOString() ?? null,
    currentState: currentState(events) ?? null,
    path: visitedStates(events),
    branch: (workflow && branchTaken(trace, workflow.choiceState)) ?? null,
    input: jsonOrText(execution.input),
    output: jsonOrText(execution.output),
    error: execution.error ?? null,
    cause: execution.cause ?? null,
    ...(decided ? { decidedBy: decided.decidedBy, via: decided.via, reason: decided.reason, decisionId: decided.decisionId } : NO_RECORD),
    graph: graph ?? null,
    timeline: timelineOf(events, execution.startDate, tokensIn(events)),
  };
}
