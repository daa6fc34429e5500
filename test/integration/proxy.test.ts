// The proxy the benchmark and the fault tests put in front of the emulator: it counts calls per
// operation, throttles with token buckets, injects faults, and answers as AWS does so the SDK
// recognises (and retries) what it sends.
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { ListExecutionsCommand, ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorProxy, STEP_FUNCTIONS_QUOTAS, startProxy } from "../../scripts/proxy.mjs";
import { endpoint } from "../support/cli.js";

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
async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number } | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return { name: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
  }
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
    expect(proxy.stats).toEqual({ calls: {}, throttled: {}, faults: {}, total: 0 });
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
});
