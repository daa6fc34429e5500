import type { DescribeExecutionCommandOutput, HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import { newestFirst } from "./history.js";

/** Every event of an execution's history, oldest first, with execution data. */
export async function readFullHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const { paginateGetExecutionHistory } = await import("@aws-sdk/client-sfn");
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 1000 }, { executionArn, includeExecutionData: true })) {
    events.push(...(page.events ?? []));
  }
  return newestFirst(events).reverse();
}

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
  const tokens = new Set<string>();
  for (const event of events) {
    const text = event.taskScheduledEventDetails?.parameters;
    if (!text) continue;
    for (const match of text.matchAll(/"(?:Token|TaskToken|taskToken)"\s*:\s*"([^"]+)"/g)) if (match[1]) tokens.add(match[1]);
  }
  return [...tokens];
}

/** What `approvals show` reports about an execution. */
export interface ExecutionReport {
  name: string;
  executionArn: string;
  status: string;
  startDate: string | null;
  stopDate: string | null;
  currentState: string | null;
  visited: string[];
  input: unknown;
  output: unknown;
  error: string | null;
  cause: string | null;
}

/** Combine DescribeExecution and the history into a report. */
export function executionReport(execution: DescribeExecutionCommandOutput, events: readonly HistoryEvent[]): ExecutionReport {
  return {
    name: execution.name ?? "",
    executionArn: execution.executionArn ?? "",
    status: execution.status ?? "UNKNOWN",
    startDate: execution.startDate?.toISOString() ?? null,
    stopDate: execution.stopDate?.toISOString() ?? null,
    currentState: currentState(events) ?? null,
    visited: visitedStates(events),
    input: parseJson(execution.input),
    output: parseJson(execution.output),
    error: execution.error ?? null,
    cause: execution.cause ?? null,
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
