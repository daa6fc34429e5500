// No command hangs: --cli-connect-timeout / --cli-read-timeout against an endpoint that takes the
// request and never answers (the fault proxy's black hole), with the retries of a timed-out call bounded.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { deployStack, endpoint, runCli, uniqueStackName } from "../support/cli.js";

const stack = uniqueStackName("timeout");
const email = "ops@example.com";
/** "Well under a minute" for a dead endpoint and --cli-read-timeout 2. */
const DEAD_ENDPOINT_BOUND_MS = 30_000;
let proxy: EmulatorProxy;
let direct: Record<string, string | undefined>;

beforeAll(async () => {
  direct = await deployStack(stack, email);
  const started = await runCli(["start", "--input", "-", "--name", "waits", "--stack-name", stack], { env: direct, input: "{}" });
  expect(started.code, started.stderr).toBe(0);
});

afterEach(async () => {
  await proxy?.stop();
});

/** Run through the proxy and time it; the default retry settings (8 attempts) apply. */
async function timed(args: string[]) {
  const begun = performance.now();
  const result = await runCli([...args, "--stack-name", stack], {
    env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint },
    timeoutMs: 90_000,
  });
  return { ...result, ms: performance.now() - begun };
}

describe("a black hole endpoint", () => {
  it.each([
    ["pending", ["pending", "--cli-read-timeout", "2"]],
    ["approve", ["approve", "waits", "--yes", "--cli-read-timeout", "2"]],
  ])("ends %s well under a minute, exit 1, naming the endpoint and the timeout", async (command, args) => {
    proxy = await startProxy({ target: endpoint(), blackHole: true });

    const result = await timed(args);

    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(DEAD_ENDPOINT_BOUND_MS);
    expect(result.stdout).toBe("");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).toContain(
      `error: Describing stack ${stack} failed: no answer from ${proxy.endpoint} within 2 s (--cli-read-timeout), 2 attempts.\n`,
    );
    expect(result.stderr).toMatch(/^hint: .*raise --cli-read-timeout \(0 waits forever\)\.$/m);
    // A timed-out call is tried twice, whatever the retry settings; nothing reached the emulator.
    // approve reads who decides (STS) alongside its first call: that one is swallowed too.
    const { GetCallerIdentity: identity = 0, ...swallowed } = proxy.stats.swallowed;
    expect(swallowed).toEqual({ DescribeStacks: 2 });
    expect(identity).toBe(command === "approve" ? 2 : 0);
    expect(proxy.received).toEqual([]);
  });

  it("says a decision lost in it may not have been taken, after reading the history", async () => {
    proxy = await startProxy({ target: endpoint(), blackHole: { operations: ["SendTaskSuccess"] } });

    const result = await timed(["approve", "waits", "--yes", "--cli-read-timeout", "2"]);

    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(DEAD_ENDPOINT_BOUND_MS);
    expect(result.stderr).toContain(
      `error: Sending the decision for waits failed: no answer from ${proxy.endpoint} within 2 s (--cli-read-timeout), 2 attempts. Step Functions has not recorded it: the decision was not taken, and waits still waits (send it again once the endpoint answers).\n`,
    );
    expect(proxy.stats.swallowed).toEqual({ SendTaskSuccess: 2 });
    expect(proxy.received.filter((r) => r.operation === "SendTaskSuccess")).toEqual([]);
    expect(proxy.received.filter((r) => r.operation === "GetExecutionHistory").length).toBeGreaterThan(0);
  });
});

describe("--cli-read-timeout", () => {
  it("gives up on a slow answer after the time given, and with 0 waits for it", async () => {
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: 2500, operation: "DescribeStacks" }] });

    const impatient = await timed(["pending", "--cli-read-timeout", "1", "--json"]);
    expect(impatient.code).toBe(1);
    expect(impatient.stderr).toContain(`no answer from ${proxy.endpoint} within 1 s (--cli-read-timeout), 2 attempts.`);

    const patient = await timed(["pending", "--cli-read-timeout", "0", "--json"]);
    expect(patient.code, patient.stderr).toBe(0);
    expect(JSON.parse(patient.stdout).map((p: { name: string }) => p.name)).toEqual(["waits"]);
    expect(patient.ms).toBeGreaterThan(2500);
  });

  it("is listed in the help of every command that calls AWS, with --cli-connect-timeout", async () => {
    for (const command of ["deploy", "outputs", "start", "pending", "approve", "reject", "fail", "show", "destroy"]) {
      const help = await runCli([command, "--help"], { env: direct });
      // Commander wraps the descriptions to the terminal's width.
      const text = help.stdout.replace(/\s+/g, " ");
      expect(text, command).toMatch(/--cli-connect-timeout <seconds> .*0 waits forever \(default: 60\)/);
      expect(text, command).toMatch(/--cli-read-timeout <seconds> .*0 waits forever \(default: 60\)/);
    }
    const template = await runCli(["template", "--help"], { env: direct });
    expect(template.stdout).not.toContain("--cli-read-timeout");
  });
});
