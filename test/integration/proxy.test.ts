// The proxy the benchmark and the fault tests put in front of the emulator: it counts calls per
// operation, throttles with token buckets, injects faults, and answers as AWS does so the SDK
// recognises (and retries) what it sends.
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { CreateTopicCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorProxy, STEP_FUNCTIONS_QUOTAS, startProxy } from "../../scripts/proxy.mjs";
import { endpoint, uniqueStackName } from "../support/cli.js";

let proxy: EmulatorProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

const config = (url: string, maxAttempts = 1) => ({
  endpoint: url,
  region: "us-east-1",
  credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  maxAttempts,
});

/** The error a call ends with, or undefined. */
async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number; code?: string } | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, ...(e.code ? { code: e.code } : {}) };
  }
}

/** Topics at the emulator itself, read without the proxy. */
async function topicsAtEmulator(): Promise<string[]> {
  const { Topics } = await new SNSClient(config(endpoint())).send(new ListTopicsCommand({}));
  return (Topics ?? []).map((t) => t.TopicArn ?? "");
}

describe("scripts/proxy.mjs", () => {
  it("forwards calls and counts them per operation, for JSON and query protocols", async () => {
    proxy = await startProxy({ target: endpoint() });
    const sfn = new SFNClient(config(proxy.endpoint));
    await sfn.send(new ListStateMachinesCommand({}));
    await sfn.send(new ListStateMachinesCommand({}));
    await failure(new CloudFormationClient(config(proxy.endpoint)).send(new DescribeStacksCommand({ StackName: "no-such-stack" })));
    expect(proxy.stats.calls).toEqual({ ListStateMachines: 2, DescribeStacks: 1 });
    expect(proxy.stats.total).toBe(3);
    proxy.reset();
    expect(proxy.stats).toEqual({ calls: {}, throttled: {}, faults: {}, lost: {}, swallowed: {}, total: 0 });
    expect(proxy.received).toEqual([]);
  });

  it("throttles an operation whose bucket is empty with AWS's ThrottlingException", async () => {
    proxy = await startProxy({ target: endpoint(), throttle: { ListStateMachines: { burst: 2, perSecond: 0.001 } } });
    const sfn = new SFNClient(config(proxy.endpoint));
    await sfn.send(new ListStateMachinesCommand({}));
    await sfn.send(new ListStateMachinesCommand({}));
    expect(await failure(sfn.send(new ListStateMachinesCommand({})))).toEqual({ name: "ThrottlingException", status: 400 });
    // Other operations have their own buckets (here: none).
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x" })),
    ).rejects.toThrow(/does not exist/i);
    expect(proxy.stats.throttled).toEqual({ ListStateMachines: 1 });
    // reset() refills the buckets.
    proxy.reset();
    await sfn.send(new ListStateMachinesCommand({}));
  });

  it("throttles with Step Functions' published quotas when asked to", () => {
    expect(STEP_FUNCTIONS_QUOTAS).toEqual({
      GetExecutionHistory: { burst: 400, perSecond: 20 },
      ListExecutions: { burst: 200, perSecond: 5 },
      SendTaskSuccess: { burst: 3000, perSecond: 500 },
    });
  });

  it("injects HTTP 500s and throttling, in the query protocol's form too, which the SDK retries", async () => {
    proxy = await startProxy({ target: endpoint(), faults: { rate: 1, kinds: ["500"] } });
    const sfn = new SFNClient(config(proxy.endpoint));
    expect(await failure(sfn.send(new ListStateMachinesCommand({})))).toEqual({ name: "InternalFailure", status: 500 });
    proxy.setFaults({ rate: 1, kinds: ["throttle"], operations: ["DescribeStacks"] });
    const cfn = new CloudFormationClient(config(proxy.endpoint));
    expect(await failure(cfn.send(new DescribeStacksCommand({})))).toEqual({ name: "Throttling", status: 400 });
    await sfn.send(new ListStateMachinesCommand({}));
    expect(proxy.stats.faults).toEqual({ ListStateMachines: 1, DescribeStacks: 1 });

    // A third of the calls fail; with retries every call gets through.
    proxy.setFaults({ rate: 0.3, seed: 7 });
    proxy.reset();
    const patient = new SFNClient({ ...config(proxy.endpoint, 10), retryMode: "standard" });
    for (let i = 0; i < 6; i++) await patient.send(new ListStateMachinesCommand({}));
    expect(proxy.stats.total).toBeGreaterThan(6);
  });

  it("adds the round-trip delay to every call", async () => {
    proxy = await startProxy({ target: endpoint(), delayMs: 200 });
    const sfn = new SFNClient(config(proxy.endpoint));
    const begun = performance.now();
    await sfn.send(new ListStateMachinesCommand({}));
    // A lower bound, not a timing assertion: the call cannot come back before the delay.
    expect(performance.now() - begun).toBeGreaterThanOrEqual(190);
  });

  it("records what reached the emulator, with its body and status", async () => {
    proxy = await startProxy({ target: endpoint(), faults: { rate: 1, kinds: ["500"], operations: ["ListExecutions"] } });
    const sfn = new SFNClient(config(proxy.endpoint));
    await sfn.send(new ListStateMachinesCommand({ maxResults: 7 }));
    await failure(sfn.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x" })));
    // The injected 500 never reached the emulator: only the first call is recorded.
    expect(proxy.received).toEqual([{ operation: "ListStateMachines", body: '{"maxResults":7}', delayedMs: 0, status: 200 }]);
  });

  it("loses a reply after the emulator acted on the request: the client sees HTTP 500, the topic exists", async () => {
    const name = uniqueStackName("lost");
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "CreateTopic" }] });
    const sns = new SNSClient(config(proxy.endpoint));
    expect(await failure(sns.send(new CreateTopicCommand({ Name: name })))).toEqual({ name: "InternalFailure", status: 500 });
    expect((await topicsAtEmulator()).filter((arn) => arn.endsWith(`:${name}`))).toHaveLength(1);
    expect(proxy.received).toEqual([
      { operation: "CreateTopic", body: expect.stringContaining(`Name=${name}`), delayedMs: 0, status: 200, lost: "500" },
    ]);
    expect(proxy.stats.lost).toEqual({ CreateTopic: 1 });
    // Only the first reply is lost (times defaults to 1).
    const again = await sns.send(new CreateTopicCommand({ Name: name }));
    expect(again.TopicArn).toMatch(new RegExp(`:${name}$`));
    expect(proxy.received.map((r) => r.lost)).toEqual(["500", undefined]);
  });

  it("loses replies in the JSON protocol too, as many times as asked, or cuts the connection", async () => {
    proxy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "ListStateMachines", times: 2 }] });
    const sfn = new SFNClient(config(proxy.endpoint));
    expect(await failure(sfn.send(new ListStateMachinesCommand({})))).toEqual({ name: "InternalFailure", status: 500 });
    expect(await failure(sfn.send(new ListStateMachinesCommand({})))).toEqual({ name: "InternalFailure", status: 500 });
    await sfn.send(new ListStateMachinesCommand({}));

    proxy.configure({ lostReplies: [{ operation: "ListStateMachines", answer: "drop" }] });
    proxy.reset();
    const dropped = await failure(sfn.send(new ListStateMachinesCommand({})));
    expect(dropped?.code).toMatch(/^(ECONNRESET|EPIPE)$/);
    expect(proxy.received).toEqual([{ operation: "ListStateMachines", body: "{}", delayedMs: 0, status: 200, lost: "drop" }]);
  });

  it("swallows requests in a black hole: read, never forwarded, never answered", async () => {
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["ListExecutions"] } });
    const impatient = new SFNClient({ ...config(proxy.endpoint), requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true } });
    await impatient.send(new ListStateMachinesCommand({}));
    const begun = performance.now();
    const swallowed = await failure(
      impatient.send(new ListExecutionsCommand({ stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:x" })),
    );
    expect(swallowed?.name).toBe("TimeoutError");
    expect(performance.now() - begun).toBeGreaterThanOrEqual(290);
    expect(proxy.stats.swallowed).toEqual({ ListExecutions: 1 });
    expect(proxy.received.map((r) => r.operation)).toEqual(["ListStateMachines"]);

    proxy.configure({ blackHole: true });
    expect((await failure(impatient.send(new ListStateMachinesCommand({}))))?.name).toBe("TimeoutError");
    proxy.configure({ blackHole: false });
    await impatient.send(new ListStateMachinesCommand({}));
    expect(proxy.stats.swallowed).toEqual({ ListExecutions: 1, ListStateMachines: 1 });
  });

  it("delays the nth request of an operation, and only that one", async () => {
    proxy = await startProxy({ target: endpoint(), delays: [{ operation: "ListStateMachines", nth: 2, ms: 300 }] });
    const sfn = new SFNClient(config(proxy.endpoint));
    const took: number[] = [];
    for (let i = 0; i < 3; i++) {
      const begun = performance.now();
      await sfn.send(new ListStateMachinesCommand({}));
      took.push(performance.now() - begun);
    }
    await failure(new CloudFormationClient(config(proxy.endpoint)).send(new DescribeStacksCommand({ StackName: "no-such-stack" })));
    expect(proxy.received.map((r) => [r.operation, r.delayedMs])).toEqual([
      ["ListStateMachines", 0],
      ["ListStateMachines", 300],
      ["ListStateMachines", 0],
      ["DescribeStacks", 0],
    ]);
    expect(took[1]).toBeGreaterThanOrEqual(290);

    // Without nth, every matching request; without operation, every request.
    proxy.configure({ delays: [{ ms: 100 }] });
    proxy.reset();
    await sfn.send(new ListStateMachinesCommand({}));
    await failure(new CloudFormationClient(config(proxy.endpoint)).send(new DescribeStacksCommand({ StackName: "no-such-stack" })));
    expect(proxy.received.map((r) => r.delayedMs)).toEqual([100, 100]);
  });
});
