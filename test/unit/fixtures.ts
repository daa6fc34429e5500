import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Change, CloudFormationClient, StackEvent } from "@aws-sdk/client-cloudformation";
import { type HistoryEvent, SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { STSClient } from "@aws-sdk/client-sts";
import { expect } from "vitest";
import { parse } from "yaml";
import { CloudFormation } from "../../src/aws/cloudformation.js";
import { StepFunctions } from "../../src/aws/sfn.js";
import { Sns } from "../../src/aws/sns.js";
import { Sts } from "../../src/aws/sts.js";
import type { Context } from "../../src/context.js";
import { discardDeploy, executeDeploy, prepareDeploy } from "../../src/core/stack/deploy.js";
import type { LoadedTemplate } from "../../src/core/stack/template.js";
import { ExitCode, UsageError } from "../../src/errors.js";
import { sleep } from "../../src/lib/async.js";
import { InFlight } from "../../src/lib/in-flight.js";

/** The bundled template's path. */
export const TEMPLATE_PATH = resolve(import.meta.dirname, "../../templates/human-approval.yaml");

export const STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:human-approval-HumanApprovalLambdaStateMachine-ABC123";
export const API_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/states";

/** The state machine definition of the bundled template, its `Fn::Sub` variables resolved as for a stack. */
export function templateDefinition(email = "ops@example.com"): string {
  const template = parse(readFileSync(TEMPLATE_PATH, "utf8"), { logLevel: "silent" });
  const sub: string = template.Resources.HumanApprovalLambdaStateMachine.Properties.DefinitionString["Fn::Sub"];
  const variables: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    ExecutionApi: "abc123",
    "LambdaHumanApprovalSendEmailFunction.Arn": "arn:aws:lambda:us-east-1:123456789012:function:send-email",
    Email: email,
  };
  return sub.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`no value for \${${name}}`);
    return value;
  });
}

/** A definition as an object, loosely typed so tests can edit it freely. */
export interface DefinitionDocument {
  StartAt: string;
  TimeoutSeconds?: number;
  // biome-ignore lint/suspicious/noExplicitAny: variants reshape states at will
  States: Record<string, any>;
}

/** The template's definition as an object, to derive variants from. */
export function templateDocument(email?: string): DefinitionDocument {
  return JSON.parse(templateDefinition(email));
}

/** A task token shaped like AWS's: long, with characters that URL encoding changes. */
export const TOKEN = "AQCEAAAAKgAAAAMAAAAAAAAAAf+x/Yz9ku7Q==abc+def/ghi";

const START = Date.parse("2026-11-25T10:00:00.000Z");

/** The TaskScheduled parameters of the template's callback state: the context object carries the token. */
export function scheduledParameters(token: string, name = "ApprovalTest", input: unknown = { Comment: "hi" }): string {
  return JSON.stringify({
    FunctionName: "arn:aws:lambda:us-east-1:123456789012:function:send-email",
    Payload: {
      ExecutionContext: {
        Execution: { Id: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`, Input: input, Name: name },
        StateMachine: { Id: STATE_MACHINE_ARN, Name: "sm" },
        Task: { Token: token },
        State: { EnteredTime: "2026-11-25T10:00:00.001Z", Name: "Lambda Callback", RetryCount: 0 },
      },
      APIGatewayEndpoint: API_URL,
    },
  });
}

/** An event without the id and timestamp {@link events} gives it. */
export type EventSpec = Partial<HistoryEvent> & Pick<HistoryEvent, "type">;

/** Events with ids and timestamps one second apart, oldest first. */
export function events(...partials: EventSpec[]): HistoryEvent[] {
  return partials.map((partial, index) => ({
    id: index + 1,
    previousEventId: index,
    timestamp: new Date(START + index * 1000),
    ...partial,
  }));
}

const input = '{"Comment":"hi"}';

/** The events up to a waiting callback state, as Step Functions records them for the template. */
export function waitingEvents(token = TOKEN, state = "Lambda Callback"): EventSpec[] {
  return [
    { type: "ExecutionStarted", executionStartedEventDetails: { input } },
    { type: "TaskStateEntered", stateEnteredEventDetails: { name: state, input } },
    {
      type: "TaskScheduled",
      taskScheduledEventDetails: {
        resource: "invoke.waitForTaskToken",
        resourceType: "lambda",
        region: "us-east-1",
        parameters: scheduledParameters(token),
      },
    },
    { type: "TaskStarted", taskStartedEventDetails: { resource: "invoke.waitForTaskToken", resourceType: "lambda" } },
    { type: "TaskSubmitted", taskSubmittedEventDetails: { resource: "invoke.waitForTaskToken", resourceType: "lambda", output: "{}" } },
  ];
}

/** The events after a decision, through the branch it took, to the end. */
export function decidedEvents(status: string, branch: string): EventSpec[] {
  const output = JSON.stringify({ Status: status });
  return [
    { type: "TaskSucceeded", taskSucceededEventDetails: { resource: "invoke.waitForTaskToken", resourceType: "lambda", output } },
    { type: "TaskStateExited", stateExitedEventDetails: { name: "Lambda Callback", output } },
    { type: "ChoiceStateEntered", stateEnteredEventDetails: { name: "ManualApprovalChoiceState", input: output } },
    { type: "ChoiceStateExited", stateExitedEventDetails: { name: "ManualApprovalChoiceState", output } },
    { type: "PassStateEntered", stateEnteredEventDetails: { name: branch, input: output } },
    { type: "PassStateExited", stateExitedEventDetails: { name: branch, output } },
    { type: "ExecutionSucceeded", executionSucceededEventDetails: { output } },
  ];
}

/** The usage error (exit 2) `fn` throws, for asserting on its message. */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.USAGE);
    return error as UsageError;
  }
  throw new Error("expected a usage error");
}

/** One command a fake client received: its name (without `Command`) and input. */
export interface Sent {
  command: string;
  input: Record<string, unknown>;
}

/** How a fake client answers one command. */
export type Answer = (input: Record<string, unknown>) => unknown;

/**
 * An SDK client for the seams that take one: it answers each command from `answers` (by command
 * name; in turn when given a list, the last answer repeating), refuses any other, and records what
 * it was sent. Cast `client` to the SDK client type the code under test takes.
 */
export function fakeClient(answers: Record<string, Answer | Answer[]>) {
  const sent: Sent[] = [];
  const calls: Record<string, number> = {};
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, "");
      sent.push({ command: name, input: command.input });
      const answer = answers[name];
      if (!answer) throw new Error(`unexpected ${name}`);
      const list = Array.isArray(answer) ? answer : [answer];
      const index = Math.min(calls[name] ?? 0, list.length - 1);
      calls[name] = (calls[name] ?? 0) + 1;
      return (list[index] as Answer)(command.input);
    },
  };
  return { client, sent, names: () => sent.map((s) => s.command) };
}

/** The caller the default fake STS names. */
export const CALLER_ARN = "arn:aws:sts::123456789012:assumed-role/Approver/alice";

/** Seams of {@link testContext}: fake clients (cast inside), the clock and the rest of a Context. */
export interface TestContextOptions extends Partial<Omit<Context, "sfn" | "cloudFormation" | "sns" | "sts">> {
  sfn?: unknown;
  cloudFormation?: unknown;
  sns?: unknown;
  sts?: unknown;
}

/** A use-case context over fake clients: no environment, a 1 ms poll, a fixed clock unless given one. */
export function testContext(options: TestContextOptions = {}): Context {
  const { sfn, cloudFormation, sns, sts, ...rest } = options;
  return {
    stackName: "human-approval",
    aws: { env: {} },
    env: {},
    now: () => new Date("2026-11-25T10:05:00Z"),
    sleep,
    pollMs: 1,
    signal: new AbortController().signal,
    inFlight: new InFlight(),
    emit: () => {},
    sfn: async () => new StepFunctions(sfn as SFNClient),
    cloudFormation: async () => new CloudFormation(cloudFormation as CloudFormationClient),
    sns: async () => new Sns(sns as SNSClient),
    // Who decides, as STS names the caller, unless a test brings its own.
    sts: async () => new Sts((sts ?? fakeClient({ GetCallerIdentity: () => ({ Arn: CALLER_ARN }) }).client) as STSClient),
    ...rest,
  };
}

/** What the deploy tests drive: prepare, confirm, execute, as `approvals deploy` does. */
export interface DeployThrough {
  stackName: string;
  template: LoadedTemplate;
  email?: string;
  pollMs?: number;
  signal?: AbortSignal;
  confirmChanges: (changes: Change[], type: "CREATE" | "UPDATE") => Promise<void>;
  onEvent?: (event: StackEvent) => void;
  onResume?: (status: string) => void;
}

/** Run a whole deploy through the core use cases, the confirmation standing in for the prompt. */
export async function deployThrough(cfn: CloudFormationClient, request: DeployThrough) {
  const ctx = testContext({
    cloudFormation: cfn,
    stackName: request.stackName,
    pollMs: request.pollMs ?? 1,
    signal: request.signal ?? new AbortController().signal,
    now: () => new Date(),
    emit: (event) => {
      if (event.type === "stack-event") request.onEvent?.(event.event);
      else if (event.type === "stack-busy") request.onResume?.(event.status);
    },
  });
  const prepared = await prepareDeploy(ctx, { template: request.template, email: request.email });
  if (prepared.outcome === "no-changes") return prepared;
  try {
    await request.confirmChanges(prepared.plan.changes, prepared.plan.type);
  } catch (error) {
    await discardDeploy(ctx, prepared.plan);
    throw error;
  }
  const watch = await executeDeploy(ctx, prepared.plan);
  return { outcome: "done" as const, type: prepared.plan.type, watch };
}

/** A real Step Functions client (the SDK's paginators insist on one) whose `send` is a {@link fakeClient}. */
export function fakeSfn(answers: Record<string, Answer | Answer[]>) {
  const fake = fakeClient(answers);
  const client = new SFNClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  client.send = fake.client.send as SFNClient["send"];
  return { ...fake, client };
}
