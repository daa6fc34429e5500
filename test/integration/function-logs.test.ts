import { SendTaskFailureCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorEnv, freePort } from "../../scripts/emulator.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import {
  functionArn,
  type InstalledFunction,
  inlineCode,
  installFunction,
  proxyEvent,
  stackVariables,
  substitute,
} from "../support/lambda.js";
import { settled, waitForToken } from "./sfn-helpers.js";

// The task token is a bearer secret: whatever the request and however it ends, neither function
// writes a token (or a link carrying one) to its logs. This drives every answer of both functions,
// the failures included, and searches all they logged for every token they were handed.

const stack = uniqueStackName("logs");
const email = "ops@example.com";
const { sfn, cfn } = sdk();
const logs: string[] = [];
const tokens = new Set<string>();
let vars: Record<string, string>;
let approval: InstalledFunction;
let offline: InstalledFunction;
let sendEmail: InstalledFunction;
let env: Record<string, string | undefined>;

const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

async function waiting(name: string) {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], '{"Comment":"logs"}');
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  const token = await waitForToken(sfn, executionArn);
  tokens.add(token);
  return { executionArn: executionArn as string, token };
}

/** Call the approval function as API Gateway would; return the answer's status. */
async function call(fn: InstalledFunction, method: string, fields: Record<string, string>) {
  const query = new URLSearchParams(fields).toString();
  const post = method === "POST";
  const event = proxyEvent({
    method,
    url: post ? "/execution" : `/execution?${query}`,
    rawHeaders: post ? ["Content-Type", "application/x-www-form-urlencoded"] : [],
    body: post ? query : "",
    apiId: vars.ExecutionApi ?? "",
    stage: "states",
  });
  const answer = await fn.invoke("handler", event, { invokedFunctionArn: functionArn(vars, "LambdaApprovalFunction") });
  expect(answer.ok, answer.logs).toBe(true);
  return (answer.result as { statusCode: number }).statusCode;
}

describe("no task token in what the functions log", () => {
  beforeAll(async () => {
    env = cliEnv();
    const deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    vars = await stackVariables(cfn, stack);
    const onLogs = (text: string) => logs.push(text);
    approval = installFunction(substitute(inlineCode("LambdaApprovalFunction"), vars), emulatorEnv(endpoint()), { onLogs });
    // Step Functions unreachable: every AWS call fails.
    const dead = emulatorEnv(`http://127.0.0.1:${await freePort()}`);
    offline = installFunction(substitute(inlineCode("LambdaApprovalFunction"), vars), dead, { onLogs });
    sendEmail = installFunction(
      substitute(inlineCode("LambdaHumanApprovalSendEmailFunction"), {
        ...vars,
        SNSHumanApprovalEmailTopic: `${vars.SNSHumanApprovalEmailTopic}-gone`,
      }),
      emulatorEnv(endpoint()),
      { onLogs },
    );
  });

  afterAll(async () => {
    for (const fn of [approval, offline, sendEmail]) fn?.remove();
    await run(["destroy", "--yes"]);
  });

  it("drives every answer of the approval function", async () => {
    const { token } = await waiting("logged");
    const sm = vars.HumanApprovalLambdaStateMachine?.split(":").at(-1) ?? "";
    const link = { action: "approve", ex: "logged", sm, taskToken: token };
    expect(await call(approval, "GET", link)).toBe(200);
    expect(await call(approval, "HEAD", link)).toBe(200);
    expect(await call(approval, "GET", { ...link, sm: "another-machine" })).toBe(404);
    expect(await call(approval, "GET", { ...link, ex: "nobody" })).toBe(404);
    expect(await call(approval, "GET", { ex: "logged", sm })).toBe(400);
    expect(await call(approval, "POST", { ...link, action: "maybe" })).toBe(400);
    // A token pasted into the wrong field is no action, and not logged as one.
    expect(await call(approval, "POST", { ...link, action: token })).toBe(400);
    expect(await call(offline, "GET", link)).toBe(502);
    expect(await call(offline, "POST", link)).toBe(502);
    const forged = "AQCEAAAAKgAAAAMAAAAAAAAAAforged/token+with=chars";
    tokens.add(forged);
    expect(await call(approval, "POST", { ...link, taskToken: forged })).toBe(404);
    expect(await call(approval, "GET", { ...link, taskToken: forged })).toBe(404);
    expect(await call(approval, "POST", link)).toBe(200);
    expect(await call(approval, "POST", { ...link, action: "reject" })).toBe(409);
    expect(await call(approval, "GET", link)).toBe(409);

    const withdrawn = await waiting("withdrawn");
    await sfn.send(new SendTaskFailureCommand({ taskToken: withdrawn.token, error: "Withdrawn" }));
    expect((await settled(sfn, withdrawn.executionArn)).status).toBe("FAILED");
    expect(await call(approval, "GET", { ...link, ex: "withdrawn", taskToken: withdrawn.token })).toBe(410);
    expect(await call(approval, "POST", { ...link, ex: "withdrawn", taskToken: withdrawn.token })).toBe(410);
  });

  it("drives the email function, to a topic that is gone too", async () => {
    const token = "AQCEAAAAKgAAAAMAAAAAAAAAAemail/token+x=";
    tokens.add(token);
    const payload = {
      ExecutionContext: {
        Execution: { Name: "mail", Id: `${vars.HumanApprovalLambdaStateMachine}:mail` },
        StateMachine: { Name: vars.HumanApprovalLambdaStateMachine?.split(":").at(-1) },
        Task: { Token: token },
      },
      APIGatewayEndpoint: "https://abc123.execute-api.us-east-1.amazonaws.com/states",
    };
    const sent = await sendEmail.invoke("lambda_handler", payload, { functionName: "send-email" });
    expect(sent.ok).toBe(false);
  });

  it("found no token, encoded or not, and no link in anything logged", () => {
    expect(logs.length).toBeGreaterThanOrEqual(12);
    const all = logs.join("\n");
    expect(all).toContain('"status":409');
    expect(all).toContain("event= ");
    expect(tokens.size).toBe(4);
    for (const token of tokens) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(encodeURIComponent(token));
    }
    expect(all).not.toMatch(/taskToken=|\/execution\?/);
  });
});
