import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from "@aws-sdk/client-sfn";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** Poll (bounded, not timed) until the execution's callback task has its token, and return the token. */
export async function waitForToken(sfn: SFNClient, executionArn: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const events = await historyOf(sfn, executionArn);
    if (events.some((e) => e.type === "TaskScheduled")) return tokenIn(events);
    await pause(100);
  }
  throw new Error(`${executionArn} never reached its callback task`);
}

/** Poll (bounded, not timed) until the execution is no longer RUNNING. */
export async function settled(sfn: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== "RUNNING") return execution;
    await pause(100);
  }
  throw new Error(`${executionArn} is still RUNNING`);
}
