import { PassThrough } from "node:stream";
import { SFNClient } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { commandContext } from "../../src/commands/context.js";
import { watchPending } from "../../src/commands/pending-watch.js";
import { FIND_STACKS_EVERY_MS } from "../../src/core/executions/watch-across-stacks.js";
import { Output } from "../../src/output/output.js";
import { API_URL, events, fakeClient, templateDefinition, testContext, waitingEvents } from "./fixtures.js";

const machine = (stack: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${stack}-machine`;
const stack = (name: string, stateMachineArn = machine(name)) => ({
  StackName: name,
  StackStatus: "CREATE_COMPLETE",
  Tags: [{ Key: "approvals:workflow", Value: "human-approval" }],
  Outputs: [
    { OutputKey: "ApiGatewayInvokeURL", OutputValue: API_URL },
    { OutputKey: "StateMachineHumanApprovalArn", OutputValue: stateMachineArn },
  ],
});

/**
 * A call the endpoint never answers, during which the user presses Ctrl-C: only the call's abort
 * signal ends it (a silent endpoint answers after the SDK's timeout, here 5 s).
 */
function ctrlCWhileSilent(stop: AbortController, abortSignal: AbortSignal | undefined): Promise<never> {
  setTimeout(() => stop.abort(), 50);
  return new Promise((_, reject) => {
    const timer = setTimeout(() => reject(new Error("endpoint silent")), 5000);
    abortSignal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(abortSignal.reason);
    });
  });
}

type Send = (
  command: { constructor: { name: string }; input: Record<string, unknown> },
  options?: { abortSignal?: AbortSignal },
) => Promise<unknown>;

/** What {@link watchWhileDeployed} changes: the searches' answers in turn (the last repeats), the executions waiting in each state machine, the CloudFormation client. */
interface Seams {
  searches?: (ReturnType<typeof stack>[] | Error)[];
  waiting?: Record<string, string[]>;
  cloudFormation?: (stop: AbortController) => unknown;
  /** The StepFunctions client's `send`, given the fake's. */
  sfn?: (stop: AbortController, send: Send) => Send;
}

/**
 * `pending --watch --all-stacks` in a pipe over fake clients and a clock that each wait moves on: the
 * account holds stack `billing` when the watch starts, and `releases` (one execution waiting) from the
 * second search on. The watch is stopped once the clock passes `stopAfterMs`.
 */
async function watchWhileDeployed(stopAfterMs: number, seams: Seams = {}) {
  const searches = seams.searches ?? [[stack("billing")], [stack("billing"), stack("releases")]];
  const waiting = seams.waiting ?? { [machine("releases")]: ["late-one"] };
  const cfn = fakeClient({
    DescribeStacks: searches.map((Stacks) => () => {
      if (Stacks instanceof Error) throw Stacks;
      return { Stacks };
    }),
  });
  const stop = new AbortController();
  const fake = fakeClient({
    DescribeStateMachine: () => ({ definition: templateDefinition(), status: "ACTIVE" }),
    ListExecutions: (input) => ({
      executions: (waiting[String(input.stateMachineArn)] ?? []).map((name) => ({
        executionArn: `${String(input.stateMachineArn).replace(":stateMachine:", ":execution:")}:${name}`,
        name,
        startDate: new Date(0),
        status: "RUNNING",
      })),
    }),
    GetExecutionHistory: () => ({ events: events(...waitingEvents("token-late")).reverse() }),
  });
  // A real client (the window adds its middleware to the stack), answered by the fake.
  const sfn = new SFNClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } });
  sfn.send = (seams.sfn?.(stop, fake.client.send) ?? fake.client.send) as typeof sfn.send;
  let clock = Date.parse("2026-11-25T10:00:00Z");
  const streams = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
  let stdout = "";
  let stderr = "";
  streams.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  streams.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const started = clock;
  const ctx = testContext({
    sfn,
    cloudFormation: seams.cloudFormation?.(stop) ?? cfn.client,
    signal: stop.signal,
    now: () => new Date(clock),
    // As the real sleep: a wait on an aborted signal rejects with its reason.
    sleep: async (ms: number) => {
      clock += ms;
      if (clock - started > stopAfterMs) stop.abort();
      if (stop.signal.aborted) throw stop.signal.reason;
    },
  });
  const code = await watchPending(commandContext(ctx, new Output(streams, { color: false })), { cache: false }, 2000, { allStacks: true });
  return { code, stdout, stderr, searches: cfn.sent.filter((s) => s.command === "DescribeStacks").length };
}

/** Run the watch with `seams` until a Ctrl-C in the middle of a call: it must end at once, exit 0, without the call's error. */
async function expectCtrlCEndsAtOnce(seams: Seams): Promise<void> {
  const began = Date.now();
  const { code, stderr } = await watchWhileDeployed(FIND_STACKS_EVERY_MS * 3, seams);
  expect(Date.now() - began).toBeLessThan(2000);
  expect(code).toBe(0);
  expect(stderr).toContain("Stopped watching.");
  expect(stderr).not.toContain("endpoint silent");
}

describe("pending --watch --all-stacks over time", () => {
  it("takes in a stack deployed while watched at the next search: its waiting execution arrives once", async () => {
    const { code, stdout, searches } = await watchWhileDeployed(FIND_STACKS_EVERY_MS + 20_000);
    expect(code).toBe(0);
    expect(searches).toBe(2);
    expect(stdout).toBe("+ releases/late-one  hi\n");
    expect(stdout).not.toContain("token-late");
  });

  it("before the next search, the stack is not seen", async () => {
    const { stdout, searches } = await watchWhileDeployed(FIND_STACKS_EVERY_MS - 10_000);
    expect(searches).toBe(1);
    expect(stdout).toBe("");
  });

  it("in a pipe, says so when a stack that joins stretches the interval", async () => {
    const { stderr } = await watchWhileDeployed(FIND_STACKS_EVERY_MS + 20_000);
    expect(stderr.match(/^Refreshing every .*$/gm)).toEqual(["Refreshing every 4 s: 2 s for each stack."]);
  });

  it("Ctrl-C during a search that gets no answer ends the watch at once, exit 0", async () => {
    const silent = (stop: AbortController) => {
      let searches = 0;
      return {
        send: (command: { constructor: { name: string } }, options?: { abortSignal?: AbortSignal }) => {
          if (command.constructor.name !== "DescribeStacksCommand") throw new Error(`unexpected ${command.constructor.name}`);
          if (++searches === 1) return Promise.resolve({ Stacks: [stack("billing")] });
          return ctrlCWhileSilent(stop, options?.abortSignal);
        },
      };
    };
    await expectCtrlCEndsAtOnce({ cloudFormation: silent });
  }, 10_000);

  it("a stack whose outputs name a state machine already watched under another stack does not list its executions twice", async () => {
    const { stdout } = await watchWhileDeployed(FIND_STACKS_EVERY_MS + 20_000, {
      searches: [[stack("billing")], [stack("billing"), stack("releases"), stack("twin", machine("releases"))]],
    });
    expect(stdout).toBe("+ releases/late-one  hi\n");
  });

  it("a watched stack updated to name another state machine is watched once, over the new one", async () => {
    const { stdout, stderr } = await watchWhileDeployed(FIND_STACKS_EVERY_MS + 20_000, {
      searches: [[stack("billing")], [stack("billing", machine("releases"))]],
      waiting: { [machine("billing")]: ["early-one"], [machine("releases")]: ["late-one"] },
    });
    // The old state machine's executions leave the view once; one stack is watched, so the interval is not stretched.
    expect(stdout).toBe("+ billing/early-one  hi\n- billing/early-one gone with its stack\n+ billing/late-one  hi\n");
    expect(stderr).not.toMatch(/^Refreshing every/m);
  });

  it("Ctrl-C while a joining stack's state machine is read and gets no answer ends the watch at once, exit 0", async () => {
    const sfn: Seams["sfn"] = (stop, send) => (command, options) =>
      command.constructor.name === "DescribeStateMachineCommand" && command.input.stateMachineArn === machine("releases")
        ? ctrlCWhileSilent(stop, options?.abortSignal)
        : send(command, options);
    await expectCtrlCEndsAtOnce({ sfn });
  }, 10_000);

  it("a failed search is warned even when a stack's refresh fails in the same round", async () => {
    const throttled = (what: string) =>
      Object.assign(new Error(`Rate exceeded (${what})`), { name: "Throttling", $metadata: { httpStatusCode: 400 } });
    let searchFailed = false;
    const cloudFormation = () => {
      let searches = 0;
      return {
        send: async () => {
          if (++searches !== 2) return { Stacks: [stack("billing")] };
          searchFailed = true;
          throw throttled("search");
        },
      };
    };
    const sfn: Seams["sfn"] = (_stop, send) => async (command, options) => {
      if (!searchFailed || command.constructor.name !== "ListExecutionsCommand") return send(command, options);
      searchFailed = false;
      throw throttled("listing");
    };
    const { code, stderr } = await watchWhileDeployed(FIND_STACKS_EVERY_MS + 20_000, { cloudFormation, sfn });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^warning: .*Rate exceeded \(listing\)$/m);
    expect(stderr).toMatch(/^warning: .*Listing the stacks failed: Throttling: Rate exceeded \(search\)$/m);
  });

  it("a stack whose state machine is updated in place into an approval workflow joins at the next search", async () => {
    // An update of the definition keeps the state machine's ARN: only reading it again tells.
    let reads = 0;
    const sfn: Seams["sfn"] = (_stop, send) => async (command, options) => {
      const releases = command.constructor.name === "DescribeStateMachineCommand" && command.input.stateMachineArn === machine("releases");
      if (releases && ++reads === 1)
        return { definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass", End: true } } }), status: "ACTIVE" };
      return send(command, options);
    };
    const { stdout } = await watchWhileDeployed(FIND_STACKS_EVERY_MS * 2 + 20_000, { sfn });
    expect(reads).toBe(2);
    expect(stdout).toBe("+ releases/late-one  hi\n");
  });
});
