import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvalLinks } from "../../src/core/workflow/email.js";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import {
  browserGet,
  type InstalledFunction,
  inlineCode,
  installFunction,
  renderRequestTemplate,
  requestTemplate,
  stackVariables,
  substitute,
} from "../support/lambda.js";

// The email links and the CLI must be interchangeable: this runs the template's own Lambda code
// (its inline source, Fn::Sub resolved from the deployed stack) against the emulator and compares.

const stack = uniqueStackName("email");
const email = "ops@example.com";
const input = '{"Comment":"Twin request","Amount":42}';
const SUBJECT = "Required approval from AWS Step Functions";

let env: Record<string, string | undefined>;
let vars: Record<string, string>;
let sendEmail: InstalledFunction;
let approval: InstalledFunction;
let queueUrl: string;
const { sfn, cfn } = sdk();
const aws = { endpoint: endpoint(), region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
const sqs = new SQSClient(aws);
const sns = new SNSClient(aws);

const run = (args: string[], stdin?: string) => runCli([...args, "--stack-name", stack], { env, input: stdin });
const functionArn = (logicalId: string) => `arn:aws:lambda:${vars["AWS::Region"]}:${vars["AWS::AccountId"]}:function:${vars[logicalId]}`;

/** Call `check` until it returns a value, at most `tries` times, 100 ms apart. */
async function poll<T>(what: string, check: () => Promise<T | undefined>, tries = 100): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true }))).events ?? [];
}

/** Start an execution with the CLI; return its ARN once it waits at the callback state. */
async function start(name: string): Promise<string> {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], input);
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  await taskPayload(executionArn);
  return executionArn;
}

/** The Payload the state machine hands the email function: the TaskScheduled event's parameters. */
async function taskPayload(executionArn: string): Promise<{ ExecutionContext: { Task: { Token: string } }; APIGatewayEndpoint: string }> {
  const scheduled = await poll("TaskScheduled", async () => (await history(executionArn)).find((e) => e.type === "TaskScheduled"));
  return JSON.parse(scheduled.taskScheduledEventDetails?.parameters ?? "{}").Payload;
}

/** Run the email function on a payload; return the SNS message that reached the subscribed queue. */
async function emailFor(payload: unknown, executionName: string) {
  const context = {
    functionName: vars.LambdaHumanApprovalSendEmailFunction,
    invokedFunctionArn: functionArn("LambdaHumanApprovalSendEmailFunction"),
  };
  const sent = await sendEmail.invoke("lambda_handler", payload, context);
  expect(sent.error).toBeUndefined();
  expect(sent.ok).toBe(true);
  const notification = await poll("the SNS message", async () => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    return Messages.map((m) => JSON.parse(m.Body ?? "{}")).find((n) => n.Message?.includes(`Execution Name -> ${executionName}\n`));
  });
  const links = { approve: lineAfter(notification.Message, "Approve "), reject: lineAfter(notification.Message, "Reject ") };
  return { notification, links, logs: sent.logs };
}

function lineAfter(text: string, prefix: string): string {
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  if (!line) throw new Error(`no "${prefix}" line in:\n${text}`);
  return line.slice(prefix.length);
}

/** The seed's email text for an execution and its links. */
function seedMessage(executionName: string, links: { approve: string; reject: string }): string {
  return (
    "Welcome! \n\n" +
    "This is an email requiring an approval for a step functions execution. \n\n" +
    'Please check the following information and click "Approve" link if you want to approve. \n\n' +
    `Execution Name -> ${executionName}\n\n` +
    `Approve ${links.approve}\n\n` +
    `Reject ${links.reject}\n\n` +
    "Thanks for using Step functions!"
  );
}

/** The Approve/Reject links `pending --links` prints for an execution, as JSON and as text. */
async function pendingLinks(name: string) {
  const json = await run(["pending", "--links", "--json"]);
  expect(json.code).toBe(0);
  const entry = JSON.parse(json.stdout).find((p: { name: string }) => p.name === name);
  const text = await run(["pending", "--links"]);
  expect(text.code).toBe(0);
  const lines = text.stdout.split("\n");
  const row = lines.findIndex((l) => l.startsWith(`${name} `));
  expect(row).toBeGreaterThan(0);
  const printed = {
    approve: lines[row + 1]?.match(/^ {2}approve (\S+)$/)?.[1],
    reject: lines[row + 2]?.match(/^ {2}reject {2}(\S+)$/)?.[1],
  };
  return { json: entry?.links, text: printed };
}

/** Wait for an execution to end; return its status, parsed output and the Pass states it went through. */
async function outcome(executionArn: string) {
  const done = await poll("the execution to end", async () => {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return execution.status === "RUNNING" ? undefined : execution;
  });
  const events = await history(executionArn);
  return {
    status: done.status,
    output: JSON.parse(done.output ?? "null"),
    passStates: events.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name),
  };
}

describe("the email links and the CLI agree", () => {
  beforeAll(async () => {
    env = cliEnv();
    const deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    vars = await stackVariables(cfn, stack);
    sendEmail = installFunction(substitute(inlineCode("LambdaHumanApprovalSendEmailFunction"), vars), endpoint());
    approval = installFunction(substitute(inlineCode("LambdaApprovalFunction"), vars), endpoint());
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${stack}-inbox` }))).QueueUrl ?? "";
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }));
    await sns.send(new SubscribeCommand({ TopicArn: vars.SNSHumanApprovalEmailTopic, Protocol: "sqs", Endpoint: Attributes?.QueueArn }));
  });

  afterAll(async () => {
    sendEmail?.remove();
    approval?.remove();
    if (queueUrl) await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));
  });

  it("substitutes every Fn::Sub variable of the inline code from the stack", () => {
    expect(vars.SNSHumanApprovalEmailTopic).toMatch(/^arn:aws:sns:us-east-1:\d{12}:/);
    expect(vars.Email).toBe(email);
    expect(substitute(`\${!Literal} \${Email}`, vars)).toBe(`\${Literal} ${email}`);
    expect(() => substitute(`\${Nowhere}`, vars)).toThrow(/Nowhere/);
    const code = substitute(inlineCode("LambdaApprovalFunction"), vars);
    expect(code).toContain(`"Approved! Task approved by ${email}"`);
    expect(code).toContain(`"Rejected! Task rejected by ${email}"`);
    expect(substitute(inlineCode("LambdaHumanApprovalSendEmailFunction"), vars)).toContain(`"${vars.SNSHumanApprovalEmailTopic}"`);
  });

  it("the email function publishes the seed's message with the links `pending --links` prints", async () => {
    const name = "demande-été";
    const payload = await taskPayload(await start(name));
    const { notification, links, logs } = await emailFor(payload, name);

    expect(notification.TopicArn).toBe(vars.SNSHumanApprovalEmailTopic);
    expect(notification.Subject).toBe(SUBJECT);
    expect(notification.Message).toBe(seedMessage(name, links));
    const printed = await pendingLinks(name);
    expect(printed.json).toEqual(links);
    expect(printed.text).toEqual(links);
    // The function's logs must not carry the bearer token.
    expect(logs).not.toContain(payload.ExecutionContext.Task.Token);
  });

  it("builds the same links as the CLI for a token shaped like AWS's (characters that need encoding)", async () => {
    const name = "token-shape";
    const executionArn = await start(name);
    const payload = await taskPayload(executionArn);
    const token = "AQCEAAAAKgAAAAMAAAAAAAAAAe+ab/cd==/ef+gh&ij=kl%mn";
    payload.ExecutionContext.Task.Token = token;
    const { links } = await emailFor(payload, name);
    const smName = vars.HumanApprovalLambdaStateMachine?.split(":").at(-1) ?? "";
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const apiUrl = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "ApiGatewayInvokeURL")?.OutputValue ?? "";
    expect(links).toEqual(approvalLinks(apiUrl, smName, name, token));
    expect(browserGet(links.approve).querystring.taskToken).toBe(token);
  });

  const decisions = [
    { decision: "approve", passState: "ApprovedPassState", status: `Approved! Task approved by ${email}` },
    { decision: "reject", passState: "RejectedPassState", status: `Rejected! Task rejected by ${email}` },
  ] as const;
  for (const { decision, passState, status } of decisions) {
    it(`the ${decision} link, through the approval function, ends an execution as \`approvals ${decision}\` ends its twin`, async () => {
      const viaLink = await start(`${decision}-by-link`);
      const viaCli = await start(`${decision}-by-cli`);
      const { links } = await emailFor(await taskPayload(viaLink), `${decision}-by-link`);
      const link = links[decision];
      const token = (await taskPayload(viaLink)).ExecutionContext.Task.Token;

      // What API Gateway hands the function when the link is opened.
      const event = renderRequestTemplate(requestTemplate(), browserGet(link));
      const smName = vars.HumanApprovalLambdaStateMachine?.split(":").at(-1);
      expect(event).toEqual({
        body: {},
        headers: expect.objectContaining({ Host: new URL(link).host }),
        method: "GET",
        params: {},
        query: { action: decision, ex: `${decision}-by-link`, sm: smName, taskToken: token },
      });
      const answer = await approval.invoke("handler", event, { invokedFunctionArn: functionArn("LambdaApprovalFunction") });
      expect(answer.error).toBeUndefined();
      expect(answer.result).toEqual({
        statusCode: 302,
        headers: { Location: `https://console.aws.amazon.com/states/home?region=us-east-1#/executions/details/${viaLink}` },
      });
      expect(answer.logs).not.toContain(token);

      const cli = await run([decision, `${decision}-by-cli`, "--yes"]);
      expect(cli.code, cli.stderr).toBe(0);

      const [byLink, byCli] = [await outcome(viaLink), await outcome(viaCli)];
      expect(byLink).toEqual({
        status: "SUCCEEDED",
        output: { Status: status },
        passStates: [passState],
      });
      expect(byCli).toEqual(byLink);
    });
  }

  it("an unrecognised action throws and sends nothing: the execution still waits for its token", async () => {
    const name = "unknown-action";
    const executionArn = await start(name);
    const { links } = await emailFor(await taskPayload(executionArn), name);
    const event = renderRequestTemplate(requestTemplate(), browserGet(links.approve.replace("action=approve", "action=maybe")));

    const answer = await approval.invoke("handler", event, { invokedFunctionArn: functionArn("LambdaApprovalFunction") });
    expect(answer.ok).toBe(false);
    expect(answer.error?.message).toBe("Failed to process the request. Unrecognized Action.");

    // Had anything been sent, the token would be spent: the CLI can still decide, and its decision is the one that counts.
    const pending = await run(["pending", "--json"]);
    expect(JSON.parse(pending.stdout).map((p: { name: string }) => p.name)).toContain(name);
    const rejected = await run(["reject", name, "--yes"]);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(await outcome(executionArn)).toEqual({
      status: "SUCCEEDED",
      output: { Status: `Rejected! Task rejected by ${email}` },
      passStates: ["RejectedPassState"],
    });
    const taskEvents = (await history(executionArn)).filter((e) => /^Task(Succeeded|Failed)$/.test(e.type ?? ""));
    expect(taskEvents).toHaveLength(1);
  });
});
