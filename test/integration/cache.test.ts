// `pending` remembers waiting executions between runs: a warm run reads no history for the ones it
// has seen, drops the ones that ended, and never shows a decided execution. Calls are counted by
// the proxy of scripts/proxy.mjs in front of the emulator.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeExecutionCommand, type HistoryEvent, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { TEMPLATE_PATH } from "../unit/fixtures.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

const { sfn } = sdk();
const email = "ops@example.com";
let proxy: EmulatorProxy;

beforeAll(async () => {
  proxy = await startProxy({ target: endpoint() });
});
afterAll(async () => {
  await proxy?.stop();
});

/** Poll (bounded, not timed) until an execution's history passes `check`. */
async function eventually(executionArn: string, check: (events: HistoryEvent[]) => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (check(await historyOf(sfn, executionArn))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${executionArn}: the history never got there`);
}

/** A deployed stack, and `pending` through the proxy with one cache folder kept across runs. */
async function setUp(prefix: string, template?: string) {
  const stack = uniqueStackName(prefix);
  const cacheHome = mkdtempSync(join(tmpdir(), "approvals-xdg-"));
  const direct = cliEnv({ XDG_CACHE_HOME: cacheHome });
  const viaProxy = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint };
  const deployed = await runCli(
    ["deploy", "--email", email, "--yes", "--stack-name", stack, ...(template ? ["--template", template] : [])],
    {
      env: direct,
    },
  );
  expect(deployed.code, deployed.stderr).toBe(0);
  const tokens = new Map<string, string>();
  return {
    cacheHome,
    tokens,
    /** Start an execution and wait until it holds a token. */
    async start(name: string) {
      const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], {
        env: direct,
        input: `{"Comment":"${name}"}`,
      });
      expect(started.code, started.stderr).toBe(0);
      const { executionArn } = JSON.parse(started.stdout);
      tokens.set(name, await waitForToken(sfn, executionArn));
      // Settled at the callback: the email function has been invoked and the task submitted.
      await eventually(executionArn, (events) => events.at(-1)?.type === "TaskSubmitted");
      return executionArn as string;
    },
    /** `approvals pending --json` through the proxy: the names listed, and the calls it made. */
    async pending(...extra: string[]) {
      proxy.reset();
      const result = await runCli(["pending", "--json", "--stack-name", stack, ...extra], { env: viaProxy });
      expect(result.code, result.stderr).toBe(0);
      const listed = JSON.parse(result.stdout) as { name: string }[];
      return { names: listed.map((p) => p.name).sort(), json: listed, calls: { ...proxy.stats.calls }, total: proxy.stats.total };
    },
    cacheFiles: () => readdirSync(join(cacheHome, "approvals")).filter((f) => f.startsWith("waiting-")),
  };
}

describe("pending with the cache (definition ends right after the callback)", () => {
  let s: Awaited<ReturnType<typeof setUp>>;
  const arns = new Map<string, string>();

  beforeAll(async () => {
    s = await setUp("cache");
    for (const name of ["c-one", "c-two", "c-three"]) arns.set(name, await s.start(name));
  });

  it("reads each history cold, then none warm: three calls in all", async () => {
    const cold = await s.pending();
    expect(cold.names).toEqual(["c-one", "c-three", "c-two"]);
    expect(cold.calls.GetExecutionHistory).toBe(3);

    const warm = await s.pending();
    expect(warm.json).toEqual(cold.json);
    expect(warm.calls.GetExecutionHistory).toBeUndefined();
    // The remembered stack spares DescribeStacks; the definition check runs beside the listing.
    expect(warm.calls).toEqual({ DescribeStateMachine: 1, ListExecutions: 1 });
  });

  it("keeps the tokens in a private file (0600 in a 0700 folder)", async () => {
    const [file] = s.cacheFiles();
    const path = join(s.cacheHome, "approvals", file ?? "");
    expect(statSync(join(s.cacheHome, "approvals")).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    for (const token of s.tokens.values()) expect(text).toContain(token);
    expect(text).not.toContain("testing");
  });

  it("reads only the history of a new execution", async () => {
    await s.start("c-four");
    const warm = await s.pending();
    expect(warm.names).toEqual(["c-four", "c-one", "c-three", "c-two"]);
    expect(warm.calls.GetExecutionHistory).toBe(1);
  });

  it("never shows an execution decided since, and forgets it", async () => {
    const arn = arns.get("c-one") as string;
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: s.tokens.get("c-one"),
        output: JSON.stringify({ Status: `Approved! Task approved by ${email}` }),
      }),
    );
    expect((await settled(sfn, arn)).status).toBe("SUCCEEDED");

    const warm = await s.pending();
    expect(warm.names).toEqual(["c-four", "c-three", "c-two"]);
    expect(warm.calls.GetExecutionHistory).toBeUndefined();
    const text = readFileSync(join(s.cacheHome, "approvals", s.cacheFiles()[0] ?? ""), "utf8");
    expect(text).not.toContain(arn);
    expect(text).not.toContain(s.tokens.get("c-one"));
  });

  it("reads every history with --no-cache", async () => {
    const fresh = await s.pending("--no-cache");
    expect(fresh.names).toEqual(["c-four", "c-three", "c-two"]);
    expect(fresh.calls.GetExecutionHistory).toBe(3);
  });

  it("starts afresh from a corrupt cache file", async () => {
    const path = join(s.cacheHome, "approvals", s.cacheFiles()[0] ?? "");
    writeFileSync(path, '{"version":1,"entries":{', { mode: 0o600 });
    const rebuilt = await s.pending();
    expect(rebuilt.names).toEqual(["c-four", "c-three", "c-two"]);
    expect(rebuilt.calls.GetExecutionHistory).toBe(3);
    expect(JSON.parse(readFileSync(path, "utf8")).version).toBe(1);
  });
});

describe("pending with the cache (work follows the decision)", () => {
  /** The bundled template with a long Wait after approval: a decided execution stays RUNNING. */
  function lingeringTemplate(): string {
    const body = readFileSync(TEMPLATE_PATH, "utf8").replace(
      /"ApprovedPassState": \{\s*"Type": "Pass",\s*"End": true\s*\}/,
      '"ApprovedPassState": { "Type": "Pass", "Next": "Linger" },\n                  "Linger": { "Type": "Wait", "Seconds": 600, "End": true }',
    );
    expect(body).toContain('"Linger"');
    const path = join(tempHome(), "lingering.yaml");
    writeFileSync(path, body);
    return path;
  }

  it("verifies remembered executions with one-event reads and never shows a decided one", async () => {
    const s = await setUp("cache-linger", lingeringTemplate());
    const decided = await s.start("l-decided");
    await s.start("l-waiting");
    expect((await s.pending()).names).toEqual(["l-decided", "l-waiting"]);

    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: s.tokens.get("l-decided"),
        output: JSON.stringify({ Status: `Approved! Task approved by ${email}` }),
      }),
    );
    await eventually(decided, (events) => events.some((e) => e.type === "WaitStateEntered"));
    // Decided, and still RUNNING in its Wait state: RUNNING proves nothing here.
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn: decided }))).status).toBe("RUNNING");

    const warm = await s.pending();
    expect(warm.names).toEqual(["l-waiting"]);
    // One newest-event read each, then the whole tail of the one that changed.
    expect(warm.calls.GetExecutionHistory).toBe(3);
    const again = await s.pending();
    expect(again.names).toEqual(["l-waiting"]);
    expect(again.calls.GetExecutionHistory).toBe(2);
  });
});
