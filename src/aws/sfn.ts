// The Step Functions operations this tool makes, named for what they do. The core reaches Step
// Functions only through this gateway (see context.ts): it never builds an SDK command itself.
import type {
  DescribeExecutionCommandOutput,
  DescribeStateMachineCommandOutput,
  DescribeStateMachineForExecutionCommandOutput,
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  SFNClient,
  StartExecutionCommandOutput,
  StateMachineListItem,
} from "@aws-sdk/client-sfn";
import { allOf, pages } from "./pages.js";
import { newestId, readUnderWindow, type WindowOptions, type WindowReads } from "./sfn-window.js";

export type {
  ExecutionListItem,
  ExecutionStatus,
  HistoryEvent,
  StateMachineListItem,
} from "@aws-sdk/client-sfn";
export type { WindowOptions, WindowReads } from "./sfn-window.js";
/** An execution as DescribeExecution answers. */
export type DescribedExecution = DescribeExecutionCommandOutput;
/** A state machine as DescribeStateMachine answers. */
export type DescribedStateMachine = DescribeStateMachineCommandOutput;
/** The state machine an execution runs on, as DescribeStateMachineForExecution answers. */
export type ExecutionStateMachine = DescribeStateMachineForExecutionCommandOutput;

/** Options of a call that may be cut short: Ctrl-C, or a deadline of its own. */
export interface CallOptions {
  /** Aborts the call; default none. */
  abortSignal?: AbortSignal;
}

const sdk = () => import("./sdk/sfn.js");

/**
 * The Step Functions gateway of one run, over one SDK client (the run's, or a test's fake with `send`).
 * Every operation loads the SDK's commands on first use, so a run that calls nothing loads none.
 */
export class StepFunctions {
  /**
   * @param client The SDK client (or a test's fake with `send`).
   * @param signal Aborts every call of this gateway (see {@link withSignal}); default none.
   */
  constructor(
    private readonly client: SFNClient,
    private readonly signal?: AbortSignal,
  ) {}

  /**
   * This gateway with `signal` on every call: for a use case that only reads, such as a watch, which
   * Ctrl-C must end at once rather than when a call to an endpoint that stopped answering times out
   * (a minute an attempt, and across stacks one stack after another). Same client, same middleware.
   */
  withSignal(signal: AbortSignal): StepFunctions {
    return new StepFunctions(this.client, signal);
  }

  /** A call's options: its own signal, else this gateway's; none when neither. */
  private options(options: CallOptions = {}): CallOptions | undefined {
    const abortSignal = options.abortSignal ?? this.signal;
    return abortSignal ? { abortSignal } : undefined;
  }

  /** The region the client resolved; undefined for a client without one (a test's fake). */
  async region(): Promise<string | undefined> {
    const region = (this.client as { config?: { region?: unknown } }).config?.region;
    if (typeof region !== "function") return undefined;
    try {
      return String(await region());
    } catch {
      return undefined;
    }
  }

  /** DescribeExecution. */
  async describeExecution(executionArn: string, options: CallOptions = {}): Promise<DescribedExecution> {
    const { DescribeExecutionCommand } = await sdk();
    return this.client.send(new DescribeExecutionCommand({ executionArn }), this.options(options));
  }

  /** DescribeStateMachine: the current definition. */
  async describeStateMachine(stateMachineArn: string): Promise<DescribedStateMachine> {
    const { DescribeStateMachineCommand } = await sdk();
    return this.client.send(new DescribeStateMachineCommand({ stateMachineArn }), this.options());
  }

  /** DescribeStateMachineForExecution: the definition an execution started on, which may not be today's. */
  async definitionForExecution(executionArn: string): Promise<ExecutionStateMachine> {
    const { DescribeStateMachineForExecutionCommand } = await sdk();
    return this.client.send(new DescribeStateMachineForExecutionCommand({ executionArn }), this.options());
  }

  /** The newest `count` events of an execution's history, newest first, with execution data (tokens and input). */
  async historyTail(executionArn: string, count: number): Promise<HistoryEvent[]> {
    const { GetExecutionHistoryCommand } = await sdk();
    const command = new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: count, includeExecutionData: true });
    return (await this.client.send(command, this.options())).events ?? [];
  }

  /** The id of an execution's newest history event: one event, without execution data. */
  async newestEventId(executionArn: string): Promise<number | undefined> {
    const { GetExecutionHistoryCommand } = await sdk();
    const command = new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1, includeExecutionData: false });
    return newestId((await this.client.send(command, this.options())).events ?? []);
  }

  /** Every event of an execution's history with execution data (pages of 1,000 events), oldest first. */
  async fullHistory(executionArn: string, options: CallOptions = {}): Promise<HistoryEvent[]> {
    const { GetExecutionHistoryCommand } = await sdk();
    const events = await allOf(
      (nextToken) =>
        this.client.send(
          new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true, maxResults: 1000, nextToken }),
          this.options(options),
        ),
      (page) => page.nextToken,
      (page) => page.events,
    );
    // Ordered by id, as every reader expects, whatever order the pages came in.
    return events.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  }

  /**
   * A state machine's executions, a page at a time (the newest first as Step Functions lists them),
   * of one status when given; stop iterating to stop reading.
   */
  async *executionPages(
    stateMachineArn: string,
    options: { status?: ExecutionStatus; pageSize: number },
  ): AsyncGenerator<ExecutionListItem[]> {
    const { ListExecutionsCommand } = await sdk();
    const all = pages(
      (nextToken) =>
        this.client.send(
          new ListExecutionsCommand({ stateMachineArn, statusFilter: options.status, maxResults: options.pageSize, nextToken }),
          this.options(),
        ),
      (page) => page.nextToken,
    );
    for await (const page of all) yield page.executions ?? [];
  }

  /** A state machine's RUNNING executions: one ListExecutions page per 1,000. */
  async runningExecutions(stateMachineArn: string): Promise<ExecutionListItem[]> {
    const running: ExecutionListItem[] = [];
    for await (const page of this.executionPages(stateMachineArn, { status: "RUNNING", pageSize: 1000 })) running.push(...page);
    return running;
  }

  /** The region's state machines, a page (1,000) at a time; stop iterating to stop reading. */
  async *stateMachinePages(): AsyncGenerator<StateMachineListItem[]> {
    const { ListStateMachinesCommand } = await sdk();
    const all = pages(
      (nextToken) => this.client.send(new ListStateMachinesCommand({ maxResults: 1000, nextToken }), this.options()),
      (page) => page.nextToken,
    );
    for await (const page of all) yield page.stateMachines ?? [];
  }

  /** StartExecution, with the name always given. */
  async startExecution(request: { stateMachineArn: string; name: string; input: string }): Promise<StartExecutionCommandOutput> {
    const { StartExecutionCommand } = await sdk();
    return this.client.send(new StartExecutionCommand(request), this.options());
  }

  /** SendTaskSuccess: `output` is sent exactly as given. The token is a bearer secret. */
  async sendTaskSuccess(taskToken: string, output: string | undefined): Promise<void> {
    const { SendTaskSuccessCommand } = await sdk();
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output }), this.options());
  }

  /** SendTaskFailure. The token is a bearer secret. */
  async sendTaskFailure(taskToken: string, failure: { error: string; cause?: string }): Promise<void> {
    const { SendTaskFailureCommand } = await sdk();
    await this.client.send(new SendTaskFailureCommand({ taskToken, error: failure.error, cause: failure.cause }), this.options());
  }

  /**
   * Read many executions' histories (or state machines' executions) under one window of calls in
   * flight that adapts to Step Functions' throttling: `read` runs once per item, in any order, and
   * makes its reads through `reads`; a throttled one sends the item back to the queue to run again
   * later, with fewer calls in flight (see sfn-window.ts). Results keep the items' order.
   */
  readHistories<T, R>(items: readonly T[], read: (item: T, reads: WindowReads) => Promise<R>, options: WindowOptions = {}): Promise<R[]> {
    return readUnderWindow(this.client, items, read, { ...options, signal: this.signal });
  }
}
