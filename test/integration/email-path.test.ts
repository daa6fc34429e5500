import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { DeleteMessageCommand, DeleteQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv } from "../../scripts/emulator.mjs";
import { approvalLinks } from "../../src/core/workflow/email.js";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { Inbox } from "../support/inbox.js";
import { type InstalledFunction, inlineCode, installFunction, proxyEvent, stackVariables, substitute } from "../support/lambda.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { settled } from "./sfn-helpers.js";

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
let approvalCalls: Recorder;
let queueUrl: string;
// Everything both functions logged in this file, and every token they handled.
const functionLogs: string[] = [];
const tokens = new Set<string>();
const { sfn, cfn } = sdk();
const aws = { endpoint: endpoint(), region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
const sqs = new SQSClient(aws);

const run = (args: string[], stdin?: string) => runCli([...args, "--stack-name", stack], { env, input: stdin });
const functionArn = (logicalId: string) => `arn:aws:lambda:${vars["AWS::Region"]}:${vars["AWS::AccountId"]}:function:${vars[logicalId]}`;

/** Call `check` until it returns a value (bounded: a loaded machine gets 20 s). */
function poll<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return eventually(check, { deadline: 20_000, what });
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
  functionLogs.push(sent.logs);
  tokens.add((payload as { ExecutionContext: { Task: { Token: string } } }).ExecutionContext.Task.Token);
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

/** What API Gateway's proxy integration hands the approval function, and what comes back. */
async function callApproval(method: string, link: string, body?: string) {
  const url = new URL(link);
  const [, stage = ""] = url.pathname.split("/");
  const rawHeaders = ["Host", url.host, "User-Agent", "Mozilla/5.0", "Accept", "text/html"];
  if (body !== undefined) rawHeaders.push("Content-Type", "application/x-www-form-urlencoded");
  const apiId = url.host.split(".")[0] ?? "";
  const event = proxyEvent({ method, url: `${url.pathname.slice(stage.length + 1)}${url.search}`, rawHeaders, body, apiId, stage });
  const answer = await approval.invoke("handler", event, { invokedFunctionArn: functionArn("LambdaApprovalFunction") });
  expect(answer.error).toBeUndefined();
  functionLogs.push(answer.logs);
  return answer.result as { statusCode: number; headers: Record<string, string>; body: string };
}

/** Open a link as a browser does: a GET with its query string. */
const openLink = (link: string) => callApproval("GET", link);

/** Submit the page's form: a POST of the fields, without the link's query string. */
const postForm = (link: string, fields: Record<string, string>) =>
  callApproval("POST", link.slice(0, link.indexOf("?")), new URLSearchParams(fields).toString());

/** The hidden fields of the page's form. */
function formFields(html: string): Record<string, string> {
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_m, code) => String.fromCharCode(Number(code)));
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) fields[m[1] ?? ""] = decode(m[2] ?? "");
  return fields;
}

/** The seed's email text for an execution and its links. */
function seedMessage(executionName: string, links: { approve: string; reject: string }): string {
  return (
    "Welcome! \n\n" +
    "This is an email requiring an approval for a step functions execution. \n\n" +
    'Please check the following information and click "Approve" link if you want to approve. \n\n' +
    "Each link opens a page that shows the execution; the decision is made there, with its Approve or Reject button. \n\n" +
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
  const done = await settled(sfn, executionArn);
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
    sendEmail = installFunction(substitute(inlineCode("LambdaHumanApprovalSendEmailFunction"), vars), emulatorEnv(endpoint()));
    // Every AWS call the approval function makes passes the recorder: what it sent is seen, not inferred.
    approvalCalls = await startRecorder({ target: endpoint() });
    approval = installFunction(substitute(inlineCode("LambdaApprovalFunction"), vars), emulatorEnv(approvalCalls.endpoint));
    queueUrl = (await Inbox.subscribe(`${stack}-inbox`, vars.SNSHumanApprovalEmailTopic ?? "")).queueUrl;
  });

  afterAll(async () => {
    sendEmail?.remove();
    approval?.remove();
    await approvalCalls?.stop();
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
    // Names may hold ' and + (and any letter): the links carry them URL-encoded and the page shows them.
    const name = "it's+token-승인";
    const executionArn = await start(name);
    const payload = await taskPayload(executionArn);
    const issued = payload.ExecutionContext.Task.Token;
    const token = "AQCEAAAAKgAAAAMAAAAAAAAAAe+ab/cd==/ef+gh&ij=kl%mn";
    payload.ExecutionContext.Task.Token = token;
    const { links } = await emailFor(payload, name);
    const smName = vars.HumanApprovalLambdaStateMachine?.split(":").at(-1) ?? "";
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const apiUrl = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "ApiGatewayInvokeURL")?.OutputValue ?? "";
    expect(links).toEqual(approvalLinks(apiUrl, smName, name, token));
    expect(new URL(links.approve).searchParams.get("taskToken")).toBe(token);
    expect(new URL(links.reject).searchParams.get("ex")).toBe(name);
    tokens.add(token);
    // That token is not the one the execution waits on: the page shows nothing of it.
    const refused = await openLink(links.approve);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain("승인");
    // The issued token, carried the same way, opens the page, which hands both back to its form intact.
    const page = await openLink(approvalLinks(apiUrl, smName, name, issued).approve);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("<dd>it&#39;s+token-승인</dd>");
    expect(formFields(page.body)).toMatchObject({ ex: name, taskToken: issued });
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

      // Opening the link (what a mail scanner does too) shows the page and decides nothing. The function
      // has ended when openLink returns, so every call it made is in the recorder: none decides.
      approvalCalls.calls.length = 0;
      const opened = await openLink(link);
      expect(opened.statusCode).toBe(200);
      expect(opened.headers).toMatchObject({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" });
      expect(approvalCalls.calls.map((c) => c.operation).filter((op) => op.startsWith("SendTask"))).toEqual([]);
      expect((await sfn.send(new DescribeExecutionCommand({ executionArn: viaLink }))).status).toBe("RUNNING");
      expect((await history(viaLink)).filter((e) => e.type === "TaskSucceeded")).toHaveLength(0);

      // The page's form posts the token in its body; pressing the button is the decision.
      const form = formFields(opened.body);
      expect(form).toMatchObject({ ex: `${decision}-by-link`, taskToken: token });
      const answer = await postForm(link, { ...form, action: decision });
      expect(answer.statusCode).toBe(200);
      // The control: the recorder does see the function's decision when there is one.
      expect(approvalCalls.calls.map((c) => c.operation).filter((op) => op.startsWith("SendTask"))).toEqual(["SendTaskSuccess"]);
      expect(answer.body).toContain(decision === "approve" ? "Approved — execution" : "Rejected — execution");
      expect(answer.body).toContain(`https://console.aws.amazon.com/states/home?region=us-east-1#/executions/details/${viaLink}`);

      const cli = await run([decision, `${decision}-by-cli`, "--yes"]);
      expect(cli.code, cli.stderr).toBe(0);

      const [byLink, byCli] = [await outcome(viaLink), await outcome(viaCli)];
      // The same Status and path; each door records itself beside it.
      expect(byLink).toEqual({
        status: "SUCCEEDED",
        output: expect.objectContaining({ Status: status, Via: "approval page" }),
        passStates: [passState],
      });
      expect(byCli).toEqual({ ...byLink, output: expect.objectContaining({ Status: status, Via: "approvals CLI" }) });
    });
  }

  it("an unrecognised action answers 400 and sends nothing: the execution still waits for its token", async () => {
    const name = "unknown-action";
    const executionArn = await start(name);
    const { links } = await emailFor(await taskPayload(executionArn), name);
    const form = formFields((await openLink(links.approve)).body);
    const answer = await postForm(links.approve, { ...form, action: "maybe" });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain("Nothing was decided");

    // Had anything been sent, the token would be spent: the CLI can still decide, and its decision is the one that counts.
    const pending = await run(["pending", "--json"]);
    expect(JSON.parse(pending.stdout).map((p: { name: string }) => p.name)).toContain(name);
    const rejected = await run(["reject", name, "--yes"]);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(await outcome(executionArn)).toEqual({
      status: "SUCCEEDED",
      output: expect.objectContaining({ Status: `Rejected! Task rejected by ${email}`, Via: "approvals CLI" }),
      passStates: ["RejectedPassState"],
    });
    const taskEvents = (await history(executionArn)).filter((e) => /^Task(Succeeded|Failed)$/.test(e.type ?? ""));
    expect(taskEvents).toHaveLength(1);
  });

  it("neither function logged a task token or a link", () => {
    expect(functionLogs.length).toBeGreaterThan(5);
    expect(tokens.size).toBeGreaterThan(3);
    const logs = functionLogs.join("\n");
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(encodeURIComponent(token));
    }
    expect(logs).not.toContain("taskToken=");
  });
});
