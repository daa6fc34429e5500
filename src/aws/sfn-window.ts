// Many reads at once under Step Functions' throttling: the one place that knows of the adaptive
// window (lib/adaptive.ts) and of the throttled answers it takes from the SDK (throttling.ts).
import type {
  DescribeStateMachineCommandOutput,
  ExecutionListItem,
  GetExecutionHistoryCommandOutput,
  HistoryEvent,
  ListExecutionsCommandOutput,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { isThrottling, mapAdaptive } from "../lib/adaptive.js";
import { allOf } from "./pages.js";
import { sendWithoutThrottlingRetries } from "./throttling.js";

/** The reads a {@link readUnderWindow} callback makes: their throttled answers are the window's to wait out. */
export interface WindowReads {
  /** The newest `count` events of an execution's history, newest first, with execution data. */
  historyTail(executionArn: string, count: number): Promise<HistoryEvent[]>;
  /** The id of an execution's newest history event (one event, without execution data). */
  newestEventId(executionArn: string): Promise<number | undefined>;
  /** A state machine's RUNNING executions, page by page (1,000 a page). */
  runningExecutions(stateMachineArn: string): Promise<ExecutionListItem[]>;
  /** DescribeStateMachine. */
  describeStateMachine(stateMachineArn: string): Promise<DescribeStateMachineCommandOutput>;
}

/** Options of the window. */
export interface WindowOptions {
  /** Items read at once at the start; default 50 (Step Functions' read buckets hold 250 to 400 calls). */
  initial?: number;
  /** Most items read at once; default 100. */
  max?: number;
  /** Aborts every read; default none. */
  signal?: AbortSignal;
}

/**
 * Throttled answers of window reads. The callback may wrap one in a user error (keeping it as the
 * cause) before it reaches the window, which must still recognise it, and give up with it as it was.
 */
const windowAnswers = new WeakSet<object>();

function throttledAnswerIn(error: unknown): unknown {
  if (isThrottling(error)) return error;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return typeof cause === "object" && cause !== null && windowAnswers.has(cause) ? cause : undefined;
}

/**
 * Run `read` for each item under an adaptive window ({@link mapAdaptive}): it starts wide, narrows
 * and pauses when Step Functions throttles, and runs a throttled item again later. The reads made
 * through {@link WindowReads} hand a throttled answer straight back instead of sleeping in the SDK's
 * retry (which left the bucket's refilled tokens unused while calls slept); every other error is
 * still retried by the SDK. Throttled without a success for a minute, it gives up with that answer.
 */
export async function readUnderWindow<T, R>(
  client: SFNClient,
  items: readonly T[],
  read: (item: T, reads: WindowReads) => Promise<R>,
  options: WindowOptions = {},
): Promise<R[]> {
  const { GetExecutionHistoryCommand, ListExecutionsCommand, DescribeStateMachineCommand } = await import("./sdk/sfn.js");
  const send = async <Output>(command: { input: object }): Promise<Output> => {
    try {
      return await sendWithoutThrottlingRetries<Output>(client, command, options.signal);
    } catch (error) {
      if (isThrottling(error)) windowAnswers.add(error as object);
      throw error;
    }
  };
  const reads: WindowReads = {
    async historyTail(executionArn, count) {
      const command = new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: count, includeExecutionData: true });
      return (await send<GetExecutionHistoryCommandOutput>(command)).events ?? [];
    },
    async newestEventId(executionArn) {
      const command = new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1, includeExecutionData: false });
      return newestId((await send<GetExecutionHistoryCommandOutput>(command)).events ?? []);
    },
    runningExecutions: (stateMachineArn) =>
      allOf(
        (nextToken) =>
          send<ListExecutionsCommandOutput>(
            new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", maxResults: 1000, nextToken }),
          ),
        (page) => page.nextToken,
        (page) => page.executions,
      ),
    describeStateMachine: (stateMachineArn) => send(new DescribeStateMachineCommand({ stateMachineArn })),
  };
  try {
    return await mapAdaptive(items, (item) => read(item, reads), {
      ...options,
      isThrottle: (error) => throttledAnswerIn(error) !== undefined,
    });
  } catch (error) {
    throw throttledAnswerIn(error) ?? error;
  }
}

/** The id of the newest event of a page: sorted here, since an emulator may ignore reverseOrder and maxResults. */
export function newestId(events: readonly HistoryEvent[]): number | undefined {
  return [...events].sort((a, b) => (b.id ?? 0) - (a.id ?? 0))[0]?.id;
}
