import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from "@aws-sdk/client-sfn";

import { eventually } from "../support/eventually.js";

/** How long an execution may take to reach its callback task or to end, on a loaded machine. */
const EXECUTION_DEADLINE_MS = 20_000;

/** Every event of an execution's history, oldest first, read with the SDK. */
export async function historyOf(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, nextToken }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
}

/** The names of the states an execution entered, in order. */
export function statesEntered(events: HistoryEvent[]): string[] {
  return events.flatMap((e) => (e.type?.endsWith("StateEntered") ? [e.stateEnteredEventDetails?.name ?? ""] : []));
}

/** The task token the service issued to an execution, read from its TaskScheduled event. */
export function tokenIn(events: HistoryEvent[]): string {
  const scheduled = events.find((e) => e.type === "TaskScheduled");
  const token = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? "{}")?.Payload?.ExecutionContext?.Task?.Token;
  if (typeof token !== "string") throw new Error("no task token in the history");
  return token;
}

/** Wait (bounded) until the execution's callback task has its token, and return the token. */
export async function waitForToken(sfn: SFNClient, executionArn: string): Promise<string> {
  const events = await eventually(
    async () => {
      const events = await historyOf(sfn, executionArn);
      return events.some((e) => e.type === "TaskScheduled") && events;
    },
    { deadline: EXECUTION_DEADLINE_MS, what: `${executionArn} to reach its callback task` },
  );
  return tokenIn(events);
}

/** Wait (bounded) until the execution is no longer RUNNING; return its final description. */
export async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return eventually(
    async () => {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return execution.status !== "RUNNING" && execution;
    },
    { deadline: EXECUTION_DEADLINE_MS, what: `${executionArn} to leave RUNNING` },
  );
}

/** Wait (bounded) until `count` tasks have been scheduled in the execution; return its history. */
export async function tasksScheduled(sfn: SFNClient, executionArn: string, count: number): Promise<HistoryEvent[]> {
  return eventually(
    async () => {
      const events = await historyOf(sfn, executionArn);
      return events.filter((e) => e.type === "TaskScheduled").length >= count && events;
    },
    { deadline: EXECUTION_DEADLINE_MS, what: `${executionArn} to schedule ${count} task(s)` },
  );
}

/** Wait (bounded) until the execution has entered `state`; return the states it entered. */
export async function enteredState(sfn: SFNClient, executionArn: string, state: string): Promise<string[]> {
  return eventually(
    async () => {
      const states = statesEntered(await historyOf(sfn, executionArn));
      return states.includes(state) && states;
    },
    { deadline: EXECUTION_DEADLINE_MS, what: `${executionArn} to enter ${state}` },
  );
}
