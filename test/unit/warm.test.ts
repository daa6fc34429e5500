import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { commandContext } from "../../src/commands/context.js";
import { runVerdict } from "../../src/commands/verdict.js";
import { listWaiting } from "../../src/core/executions/list-waiting.js";
import { Output } from "../../src/output/output.js";
import { type Answer, API_URL, events, fakeClient, STATE_MACHINE_ARN, templateDefinition, testContext, waitingEvents } from "./fixtures.js";

const PREFIX = `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:`;
const START = new Date("2026-11-25T10:00:00.000Z");
const awsError = (name: string, status = 400) => Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

/** A stack with one waiting execution, fake clients counting every call, and a private cache folder. */
function account(options: { stack?: Answer; sfn?: Record<string, Answer | Answer[]> } = {}) {
  let definition = templateDefinition();
  const cfn = fakeClient({
    DescribeStacks: options.stack ?? (() => ({ Stacks: [stackWithOutputs()] })),
  });
  const fake = fakeClient({
    DescribeStateMachine: () => ({ definition, status: "ACTIVE" }),
    ListExecutions: () => ({ executions: [{ executionArn: `${PREFIX}one`, name: "one", startDate: START, status: "RUNNING" }] }),
    GetExecutionHistory: () => ({ events: events(...waitingEvents("token-1")).reverse() }),
    DescribeStateMachineForExecution: () => ({ definition: templateDefinition() }),
    SendTaskSuccess: () => ({}),
    ...options.sfn,
  });
  // A real client (the window adds its middleware to the stack), answered by the fake.
  const sfn = new SFNClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  sfn.send = fake.client.send as typeof sfn.send;
  const home = mkdtempSync(join(tmpdir(), "approvals-warm-"));
  const ctx = testContext({ sfn, cloudFormation: cfn.client, env: { XDG_CACHE_HOME: home }, aws: { env: {} } });
  const out = new Output({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() }, { yes: true });
  const calls = () => [...cfn.names(), ...fake.names()];
  return {
    ctx,
    command: commandContext(ctx, out),
    sent: fake.sent,
    calls,
    /** Forget the calls so far. */
    reset: () => {
      cfn.sent.length = 0;
      fake.sent.length = 0;
    },
    home,
    files: () => (existsSync(join(home, "approvals")) ? readdirSync(join(home, "approvals")) : []),
    redeploy: (email: string) => {
      definition = templateDefinition(email);
    },
  };
}

describe("a warm pending", () => {
  it("makes two requests, the listing and the definition check, and asks CloudFormation nothing", async () => {
    const aws = account();
    expect((await listWaiting(aws.ctx)).pending.map((p) => p.name)).toEqual(["one"]);
    aws.reset();
    const warm = await listWaiting(aws.ctx);
    expect(warm.pending.map((p) => p.name)).toEqual(["one"]);
    expect(aws.calls().sort()).toEqual(["DescribeStateMachine", "ListExecutions"]);
  });

  it("reads the stack again when the deployed definition changed", async () => {
    const aws = account();
    await listWaiting(aws.ctx);
    aws.redeploy("new@example.com");
    aws.reset();
    await listWaiting(aws.ctx);
    // The listing of the first round trip is reused: the state machine is the same.
    // The remembered execution was seen under the old definition: one newest-event read confirms it.
    expect(aws.calls().sort()).toEqual([
      "DescribeStacks",
      "DescribeStateMachine",
      "DescribeStateMachine",
      "GetExecutionHistory",
      "ListExecutions",
    ]);
    aws.reset();
    await listWaiting(aws.ctx);
    // Warm again; the execution started under the old definition is still confirmed by its newest event.
    expect(aws.calls().sort()).toEqual(["DescribeStateMachine", "GetExecutionHistory", "ListExecutions"]);
  });

  it("never trusts the memory without the service: a vanished state machine means a full read", async () => {
    let gone = false;
    const aws = account({
      stack: () => {
        if (gone) throw Object.assign(awsError("ValidationError"), { message: "Stack with id human-approval does not exist" });
        return { Stacks: [stackWithOutputs()] };
      },
      sfn: {
        DescribeStateMachine: () => {
          if (gone) throw awsError("StateMachineDoesNotExist");
          return { definition: templateDefinition(), status: "ACTIVE" };
        },
        ListExecutions: () => {
          if (gone) throw awsError("StateMachineDoesNotExist");
          return { executions: [{ executionArn: `${PREFIX}one`, name: "one", startDate: START, status: "RUNNING" }] };
        },
      },
    });
    await listWaiting(aws.ctx);
    expect(aws.files().filter((f) => /^(stack|waiting)-/.test(f))).toHaveLength(2);
    gone = true;
    await expect(listWaiting(aws.ctx)).rejects.toThrow(/does not exist/);
    // The stack and its waiting executions (with their tokens) are pruned from the cache.
    expect(aws.files().filter((f) => /^(stack|waiting)-/.test(f))).toEqual([]);
  });

  it("does not trust a remembered stack whose file names another stack inside", async () => {
    // The file is this stack's by its name and scope, but what it holds is another stack's: written
    // by hand, copied, or by a faulty version. Its outputs would send every call to that stack's machine.
    const aws = account();
    await listWaiting(aws.ctx);
    const [file] = aws.files().filter((f) => f.startsWith("stack-"));
    const path = join(aws.home, "approvals", file ?? "");
    const text = JSON.parse(readFileSync(path, "utf8"));
    text.entries.stack.stack.stackName = "other-stack";
    writeFileSync(path, JSON.stringify(text), { mode: 0o600 });
    aws.reset();
    await listWaiting(aws.ctx);
    expect(aws.calls()).toContain("DescribeStacks");
  });
});

describe("decisions right after pending", () => {
  it("send the remembered token with the execution's own Choice string: two requests per execution", async () => {
    const aws = account({ sfn: { DescribeStateMachineForExecution: () => ({ definition: templateDefinition("old@example.com") }) } });
    await listWaiting(aws.ctx);
    aws.reset();
    expect(await runVerdict(aws.command, "approve", ["one"], { exactPayload: true })).toBe(0);
    expect(aws.calls()).toEqual(["DescribeStateMachineForExecution", "SendTaskSuccess"]);
    expect(aws.sent.at(-1)?.input).toEqual({
      taskToken: "token-1",
      output: JSON.stringify({ Status: "Approved! Task approved by old@example.com" }),
    });
  });

  it("read the history when the remembered token is stale, and send the execution's current one", async () => {
    const aws = account({
      sfn: {
        GetExecutionHistory: [
          () => ({ events: events(...waitingEvents("token-1")).reverse() }),
          () => ({ events: events(...waitingEvents("token-2")).reverse() }),
        ],
        SendTaskSuccess: (input) => {
          if (input.taskToken === "token-1") throw awsError("TaskTimedOut");
          return {};
        },
        DescribeExecution: () => ({ executionArn: `${PREFIX}one`, status: "RUNNING" }),
      },
    });
    await listWaiting(aws.ctx);
    aws.reset();
    expect(await runVerdict(aws.command, "approve", ["one"], {})).toBe(0);
    const sends = aws.sent.filter((s) => s.command === "SendTaskSuccess").map((s) => s.input.taskToken);
    expect(sends).toEqual(["token-1", "token-2"]);
  });

  it("forget the token once the decision is sent: deciding again reads the execution and sends nothing", async () => {
    let decided = false;
    const aws = account({
      sfn: {
        SendTaskSuccess: () => {
          decided = true;
          return {};
        },
        DescribeExecution: () => ({ executionArn: `${PREFIX}one`, status: decided ? "SUCCEEDED" : "RUNNING" }),
      },
    });
    await listWaiting(aws.ctx);
    expect(await runVerdict(aws.command, "approve", ["one"], {})).toBe(0);
    aws.reset();
    await expect(runVerdict(aws.command, "approve", ["one"], {})).rejects.toThrow(/is not waiting/);
    expect(aws.calls()).not.toContain("SendTaskSuccess");
  });

  it("without a remembered token, read the execution as before", async () => {
    const aws = account({ sfn: { DescribeExecution: () => ({ executionArn: `${PREFIX}one`, status: "RUNNING" }) } });
    expect(await runVerdict(aws.command, "approve", ["one"], {})).toBe(0);
    expect(aws.calls()).toEqual([
      "DescribeStacks",
      "DescribeStateMachine",
      "DescribeStateMachineForExecution",
      "DescribeExecution",
      "GetExecutionHistory",
      "SendTaskSuccess",
    ]);
  });
});

function stackWithOutputs() {
  return {
    StackName: "human-approval",
    StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/human-approval/1",
    StackStatus: "CREATE_COMPLETE",
    Outputs: [
      { OutputKey: "ApiGatewayInvokeURL", OutputValue: API_URL },
      { OutputKey: "StateMachineHumanApprovalArn", OutputValue: STATE_MACHINE_ARN },
    ],
  };
}
