// The CloudFormation operations this tool makes, named for what they do: the core reaches
// CloudFormation only through this gateway (see context.ts).
import type {
  CloudFormationClient,
  CreateChangeSetCommandInput,
  DescribeChangeSetCommandOutput,
  Stack,
  StackEvent,
  StackResourceSummary,
} from "@aws-sdk/client-cloudformation";
import { allOf, pages } from "./pages.js";
import type { CallOptions } from "./sfn.js";

export type { Change, Parameter, Stack, StackEvent, StackResourceSummary, Tag } from "@aws-sdk/client-cloudformation";
/** A change set as DescribeChangeSet answers. */
export type DescribedChangeSet = DescribeChangeSetCommandOutput;
/** What names a change set. */
export interface ChangeSetIds {
  StackName: string;
  ChangeSetName: string;
}

const sdk = () => import("./sdk/cloudformation.js");

/** The CloudFormation gateway of one run, over one SDK client (the run's, or a test's fake with `send`). */
export class CloudFormation {
  constructor(private readonly client: CloudFormationClient) {}

  /** DescribeStacks of one stack, by name or id: its description (the SDK error when it does not exist). */
  async describeStack(stackName: string, options: CallOptions = {}): Promise<Stack | undefined> {
    const { DescribeStacksCommand } = await sdk();
    return (await this.client.send(new DescribeStacksCommand({ StackName: stackName }), options)).Stacks?.[0];
  }

  /** Every stack of the account and region, a page at a time. */
  async *stackPages(options: CallOptions = {}): AsyncGenerator<Stack[]> {
    const { DescribeStacksCommand } = await sdk();
    const all = pages(
      (NextToken) => this.client.send(new DescribeStacksCommand({ NextToken }), options),
      (page) => page.NextToken,
    );
    for await (const page of all) yield page.Stacks ?? [];
  }

  /** A stack's events, newest first, a page at a time; stop iterating to stop reading. */
  async *stackEventPages(stackName: string, options: CallOptions = {}): AsyncGenerator<StackEvent[]> {
    const { DescribeStackEventsCommand } = await sdk();
    const all = pages(
      (NextToken) => this.client.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken }), options),
      (page) => page.NextToken,
    );
    for await (const page of all) yield page.StackEvents ?? [];
  }

  /** Every resource of a stack, all pages. */
  async stackResources(stackName: string): Promise<StackResourceSummary[]> {
    const { ListStackResourcesCommand } = await sdk();
    return allOf(
      (NextToken) => this.client.send(new ListStackResourcesCommand({ StackName: stackName, NextToken })),
      (page) => page.NextToken,
      (page) => page.StackResourceSummaries,
    );
  }

  /** CreateChangeSet. */
  async createChangeSet(input: CreateChangeSetCommandInput & ChangeSetIds): Promise<void> {
    const { CreateChangeSetCommand } = await sdk();
    await this.client.send(new CreateChangeSetCommand(input));
  }

  /** DescribeChangeSet: its status, and the changes it lists. */
  async describeChangeSet(ids: ChangeSetIds, options: CallOptions = {}): Promise<DescribedChangeSet> {
    const { DescribeChangeSetCommand } = await sdk();
    return this.client.send(new DescribeChangeSetCommand(ids), options);
  }

  /** ExecuteChangeSet: from here on the stack changes at AWS whatever the CLI does. */
  async executeChangeSet(ids: ChangeSetIds): Promise<void> {
    const { ExecuteChangeSetCommand } = await sdk();
    await this.client.send(new ExecuteChangeSetCommand(ids));
  }

  /** DeleteChangeSet. */
  async deleteChangeSet(ids: ChangeSetIds): Promise<void> {
    const { DeleteChangeSetCommand } = await sdk();
    await this.client.send(new DeleteChangeSetCommand(ids));
  }

  /** DeleteStack, by name or id. */
  async deleteStack(stackName: string): Promise<void> {
    const { DeleteStackCommand } = await sdk();
    await this.client.send(new DeleteStackCommand({ StackName: stackName }));
  }
}
