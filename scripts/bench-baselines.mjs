// What `approvals` is compared with: the loops an operator would write (boto3 when Python has it,
// else the Node SDK), and the set-up they share (a deployed stack, waiting executions, their tokens).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { run } from "./bench-run.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BOTO3_SCRIPT = join(ROOT, "scripts", "bench-boto3.py");
const PYTHON = process.env.MOTO_PYTHON ?? "python3";
const APPROVED = JSON.stringify({ Status: "Approved! Task approved by bench@example.com" });

/** Whether the baselines can be boto3 scripts (else they are Node SDK loops). */
export const hasBoto3 = spawnSync(PYTHON, ["-c", "import boto3"]).status === 0;

/** Test credentials and region for an endpoint. */
export function sdkConfig(endpoint) {
  return { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
}

/** A Step Functions client that makes exactly one attempt per call: the loops retry throttling themselves. */
export function sfnClient(endpoint) {
  return new SFNClient({ ...sdkConfig(endpoint), maxAttempts: 1, requestHandler: { requestTimeout: 60_000 } });
}

/** Deploy a stack with the built CLI (straight to the emulator) and return its state machine ARN. */
export async function deploy(bin, stackName, env) {
  const result = await run(process.execPath, [bin, "deploy", "--email", "bench@example.com", "--yes", "--stack-name", stackName], env);
  if (result.code !== 0) throw new Error(`deploy failed: ${result.stderr}`);
  const cfn = new CloudFormationClient(sdkConfig(env.AWS_ENDPOINT_URL));
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue;
}

/** Start executions `prefix<from>` … `prefix<to - 1>` straight at the emulator, 8 at a time. */
export async function startExecutions(sfn, stateMachineArn, prefix, from, to) {
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const input = JSON.stringify({ Comment: `Benchmark request ${i}` });
      await send(sfn, new StartExecutionCommand({ stateMachineArn, name: `${prefix}${i}`, input }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // The executions reach the callback state within milliseconds, but on a busy machine the last
  // ones started may lag: wait until they wait, so that every row counts all of them.
  const last = Array.from({ length: Math.min(8, to - from) }, (_, i) => `${prefix}${to - 1 - i}`);
  await waitingTokens(sfn, stateMachineArn, last);
}

/**
 * The task tokens of the named executions, read from their histories (untimed set-up for the approve
 * loop), once each has reached the callback state (at most 30 s each).
 */
export async function waitingTokens(sfn, stateMachineArn, names) {
  const prefix = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:`;
  const tokens = [];
  for (const name of names) {
    const deadline = Date.now() + 30_000;
    let token = findToken(await historyTail(sfn, prefix + name));
    while (!token && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      token = findToken(await historyTail(sfn, prefix + name));
    }
    if (!token) throw new Error(`Execution ${name} did not reach the callback state within 30 s.`);
    tokens.push(token);
  }
  return tokens;
}

/**
 * List the RUNNING executions, then read each history tail, `concurrency` at a time (1: the
 * sequential loop). Times the loop itself, not the process around it.
 */
export async function readLoop(sfn, stateMachineArn, concurrency) {
  const begun = performance.now();
  const arns = [];
  let nextToken;
  do {
    const page = await send(sfn, new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", maxResults: 1000, nextToken }));
    arns.push(...(page.executions ?? []).map((e) => e.executionArn));
    nextToken = page.nextToken;
  } while (nextToken);
  let next = 0;
  let found = 0;
  const worker = async () => {
    while (next < arns.length) {
      if ((await historyTail(sfn, arns[next++])).some((e) => e.type === "TaskScheduled")) found++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok: true, ms: performance.now() - begun, found };
}

/** The 10-thread loop: boto3 when Python has it, else the Node SDK with 10 calls in flight. */
export async function tenThreadLoop(endpoint, stateMachineArn, env) {
  if (!hasBoto3) return readLoop(sfnClient(endpoint), stateMachineArn, 10);
  return boto3(["reads", endpoint, stateMachineArn, "10"], env);
}

/**
 * SendTaskSuccess for known tokens, one at a time (or from `threads` threads, as the emulator's own
 * pace with that many calls in flight): boto3 when Python has it, else the Node SDK.
 */
export async function approveLoop(endpoint, tokens, env, threads = 1) {
  if (hasBoto3) return boto3(["approve", endpoint, String(threads)], env, JSON.stringify(tokens));
  const sfn = sfnClient(endpoint);
  const begun = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < tokens.length) await send(sfn, new SendTaskSuccessCommand({ taskToken: tokens[next++], output: APPROVED }));
  };
  await Promise.all(Array.from({ length: threads }, worker));
  return { ok: true, ms: performance.now() - begun, found: tokens.length };
}

async function boto3(args, env, input) {
  const result = await run(
    PYTHON,
    [BOTO3_SCRIPT, ...args],
    { ...env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
    input,
  );
  if (result.code !== 0) return { ok: false, code: result.code, error: result.stderr.trim().split("\n").at(-1) };
  const out = JSON.parse(result.stdout);
  return { ok: true, ms: out.seconds * 1000, found: out.found, retries: out.retries };
}

function historyTail(sfn, executionArn) {
  return send(sfn, new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 10, includeExecutionData: true })).then(
    (answer) => answer.events ?? [],
  );
}

/** Send, retrying throttled answers with jittered exponential back-off (as the boto3 script does). */
async function send(sfn, command) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sfn.send(command);
    } catch (error) {
      if (attempt >= 20 || !/Throttl/.test(error.name ?? "")) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 50 * 2 ** attempt)));
    }
  }
}

/** The context object's Task.Token, wherever the parameters carry it. */
function findToken(events) {
  const parameters = events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails?.parameters ?? "{}";
  const search = (value) => {
    if (!value || typeof value !== "object") return undefined;
    if (typeof value.Task?.Token === "string") return value.Task.Token;
    for (const child of Object.values(value)) {
      const token = search(child);
      if (token) return token;
    }
    return undefined;
  };
  return search(JSON.parse(parameters));
}
