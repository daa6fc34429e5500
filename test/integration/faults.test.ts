// Faults injected against the emulator: the endpoint vanishing mid-command (a private emulator,
// killed), and throttling and HTTP 500s from a proxy in front of the shared one.
import { type AddressInfo, createServer } from "node:net";
import { GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { afterEach, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../scripts/emulator.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { type RecordedCall, type Recorder, startRecorder } from "../support/recorder.js";
import { settled } from "./sfn-helpers.js";

const stack = uniqueStackName("fault");
const email = "ops@example.com";
/** A command that loses its endpoint must end well within this (the SDK's retries are bounded). */
const BOUND_MS = 45_000;

let emulator: Emulator | undefined;
let recorder: Recorder | undefined;

afterEach(async () => {
  await recorder?.stop();
  await emulator?.stop();
  recorder = undefined;
  emulator = undefined;
});

/** A private emulator with the stack deployed (directly), and a recorder in front that kills it on cue. */
async function doomedEmulator(killOn: (call: RecordedCall) => boolean, options: { holdInProgress?: boolean } = {}) {
  const own = await startEmulator();
  emulator = own;
  const direct = cliEnv({ AWS_ENDPOINT_URL: own.endpoint });
  let killed = false;
  recorder = await startRecorder({
    target: own.endpoint,
    before: (call) => {
      if (killed || !killOn(call)) return "forward";
      killed = true;
      own.process.kill("SIGKILL");
      return "drop";
    },
    // moto finishes stacks at once: show the stack in progress, so the CLI is inside its wait.
    rewrite: ({ operation }, body) =>
      options.holdInProgress && operation === "DescribeStacks"
        ? body.replace(/<StackStatus>(\w+)_COMPLETE</, "<StackStatus>$1_IN_PROGRESS<")
        : body,
  });
  return { direct, proxied: cliEnv({ AWS_ENDPOINT_URL: recorder.endpoint }), wasKilled: () => killed };
}

function expectCleanFailure(result: { code: number | null; stdout: string; stderr: string }) {
  expect(result.code, "the command must end by itself, not be killed").toBe(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  const lines = result.stderr.trimEnd().split("\n");
  const error = lines.filter((l) => l.startsWith("error: "));
  expect(error).toHaveLength(1);
  return error[0] as string;
}

/** A loopback port nothing listens on: one the system gave out, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("an endpoint nothing listens on", () => {
  it("is named (scheme, host and port, never the user info or query), with the stopped emulator as the likely cause", async () => {
    const port = await closedPort();
    const env = cliEnv({ AWS_ENDPOINT_URL: `http://operator:hunter2@127.0.0.1:${port}/?token=abc`, AWS_MAX_ATTEMPTS: "2" });
    const result = await runCli(["pending", "--stack-name", stack], { env, timeoutMs: BOUND_MS });

    expect(result.stdout).toBe("");
    expect(expectCleanFailure(result)).toBe(
      `error: Describing stack ${stack} failed: the endpoint http://127.0.0.1:${port} could not be reached (ECONNREFUSED after 2 attempts).`,
    );
    expect(result.stderr).toMatch(
      /^hint: A local emulator \(npm run sandbox\) may have stopped: start it again, or unset the AWS_ENDPOINT_URL its export left\.$/m,
    );
    expect(result.stderr).not.toMatch(/operator|hunter2|token|abc/);
  });
});

// Each case starts an emulator of its own and waits out the SDK's retries: room for a loaded machine.
describe("the endpoint goes away mid-command", { timeout: 150_000 }, () => {
  it("during deploy's wait: says the endpoint is unreachable, that the stack operation goes on, and how to resume", async () => {
    let executed = false;
    const { proxied, wasKilled } = await doomedEmulator(
      ({ operation }) => {
        if (operation === "ExecuteChangeSet") executed = true;
        return executed && operation === "DescribeStacks";
      },
      { holdInProgress: true },
    );
    const result = await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env: proxied, timeoutMs: BOUND_MS });

    expect(wasKilled()).toBe(true);
    const error = expectCleanFailure(result);
    expect(error).toMatch(
      new RegExp(
        `^error: Watching stack ${stack} failed: the endpoint http://127\\.0\\.0\\.1:\\d+ could not be reached \\(ECONN\\w+ after \\d+ attempts\\)\\. The stack operation goes on at AWS\\.$`,
      ),
    );
    expect(result.stderr).toContain(`hint: Run \`approvals deploy --stack-name ${stack}\` again to resume watching.`);
  });

  it("during pending: says the endpoint is unreachable", async () => {
    const { direct, proxied, wasKilled } = await doomedEmulator(({ operation }) => operation === "GetExecutionHistory");
    expect((await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env: direct })).code).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", "waits", "--stack-name", stack], { env: direct, input: "{}" });
    expect(started.code, started.stderr).toBe(0);

    const result = await runCli(["pending", "--stack-name", stack], { env: proxied, timeoutMs: BOUND_MS });

    expect(wasKilled()).toBe(true);
    expect(result.stdout).toBe("");
    expect(expectCleanFailure(result)).toMatch(
      /^error: Listing waiting executions failed: the endpoint http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONN\w+/,
    );
    expect(result.stderr).toMatch(
      /^hint: A local emulator \(npm run sandbox\) may have stopped: start it again, or unset the AWS_ENDPOINT_URL its export left\.$/m,
    );
  });

  it("during approve: says the decision may have arrived and how to check before resending", async () => {
    const { direct, proxied, wasKilled } = await doomedEmulator(({ operation }) => operation === "SendTaskSuccess");
    expect((await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env: direct })).code).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", "waits", "--stack-name", stack], { env: direct, input: "{}" });
    expect(started.code, started.stderr).toBe(0);

    const result = await runCli(["approve", "waits", "--yes", "--stack-name", stack], { env: proxied, timeoutMs: BOUND_MS });

    expect(wasKilled()).toBe(true);
    expect(expectCleanFailure(result)).toMatch(
      new RegExp(
        `^error: Sending the decision for waits failed: the endpoint http://127\\.0\\.0\\.1:\\d+ could not be reached \\(ECONN\\w+ after \\d+ attempts\\)\\. It may have reached Step Functions all the same, and its history could not be read to tell: run \`approvals show waits --stack-name ${stack}\` before sending it again\\.$`,
      ),
    );
  });
});

interface ProxyStats {
  calls: Record<string, number>;
  faults: Record<string, number>;
  throttled: Record<string, number>;
  total: number;
}
interface Proxy {
  endpoint: string;
  stats: ProxyStats;
  stop(): Promise<void>;
}
type StartProxy = (options: {
  target: string;
  faults?: { rate: number; kinds?: ("throttle" | "500")[]; operations?: string[]; seed?: number };
}) => Promise<Proxy>;

/** The fault-injecting proxy of scripts/proxy.mjs (plain JavaScript, typed here for what the tests use). */
async function proxy(faults: Parameters<StartProxy>[0]["faults"]): Promise<Proxy> {
  const path = "../../scripts/proxy.mjs";
  const { startProxy } = (await import(path)) as { startProxy: StartProxy };
  return startProxy({ target: endpoint(), faults });
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

describe("throttling and HTTP 500s", () => {
  let faulty: Proxy | undefined;
  afterEach(async () => {
    await faulty?.stop();
    faulty = undefined;
  });

  it("retries through 30% throttles and 500s and completes deploy → start → pending → approve → show", async () => {
    faulty = await proxy({ rate: 0.3, kinds: ["throttle", "500"], seed: 20261125 });
    const env = cliEnv({ AWS_ENDPOINT_URL: faulty.endpoint });
    const name = `${stack}-flaky`;
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", name], { env, input, timeoutMs: BOUND_MS });

    const deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = await run(["start", "--input", "-", "--name", "flaky", "--json"], '{"Comment":"through a flaky network"}');
    expect(started.code, started.stderr).toBe(0);
    const { executionArn } = JSON.parse(started.stdout);
    const pending = await run(["pending", "--json"]);
    expect(pending.code, pending.stderr).toBe(0);
    expect(JSON.parse(pending.stdout).map((p: { name: string }) => p.name)).toEqual(["flaky"]);
    const approved = await run(["approve", "flaky", "--yes"]);
    expect(approved.code, approved.stderr).toBe(0);
    const shown = await run(["show", "flaky", "--json"]);
    expect(shown.code, shown.stderr).toBe(0);

    // Warm runs and decisions from pending's memory make few requests: with this seed, four faults.
    expect(sum(faulty.stats.faults)).toBeGreaterThan(3);
    const { sfn } = sdk();
    await settled(sfn, executionArn);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events?.filter((e) => e.type === "TaskSucceeded")).toHaveLength(1);
    expect(events?.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name)).toEqual([
      "ApprovedPassState",
    ]);
  });

  it("gives up after its retries on HTTP 500 every time, and says so", async () => {
    faulty = await proxy({ rate: 1, kinds: ["500"] });
    const result = await runCli(["pending", "--stack-name", stack], {
      env: cliEnv({ AWS_ENDPOINT_URL: faulty.endpoint }),
      timeoutMs: BOUND_MS,
    });

    expect(expectCleanFailure(result)).toMatch(new RegExp(`^error: Describing stack ${stack} failed: InternalFailure: Injected fault`));
    expect(result.stderr).toMatch(/^hint: AWS kept answering HTTP 500 after every retry: wait a little, then run the command again\.$/m);
    // Eight attempts (the CLI's retry), then nothing more.
    expect(faulty.stats.calls).toEqual({ DescribeStacks: 8 });
  });

  it("gives up on throttling too, and with --debug names the request id", async () => {
    faulty = await proxy({ rate: 1, kinds: ["throttle"] });
    // AWS_MAX_ATTEMPTS (the SDK's own setting) keeps the throttling back-off short here.
    const env = cliEnv({ AWS_ENDPOINT_URL: faulty.endpoint, AWS_MAX_ATTEMPTS: "3" });
    const result = await runCli(["pending", "--stack-name", stack, "--debug"], { env, timeoutMs: BOUND_MS });

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error: Describing stack ${stack} failed: Throttling: Rate exceeded`, "m"));
    expect(result.stderr).toMatch(/^hint: AWS kept answering that requests are throttled after every retry/m);
    expect(result.stderr).toMatch(/request id [0-9a-f-]{36}/);
    expect(faulty.stats.calls).toEqual({ DescribeStacks: 3 });
  });
});
