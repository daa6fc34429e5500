// `pending` remembers waiting executions between runs: a warm run reads no history for the ones it
// has seen, drops the ones that ended, and never shows a decided execution. Calls are counted by
// the proxy of scripts/proxy.mjs in front of the emulator.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeExecutionCommand, type HistoryEvent, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { sdk, tempHome } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { useProxiedStacks } from "../support/proxied-stack.js";
import { TEMPLATE_PATH } from "../unit/fixtures.js";
import { historyOf, settled } from "./sfn-helpers.js";

const { sfn } = sdk();
const email = "ops@example.com";

/** Wait (bounded) until an execution's history passes `check`. */
async function historyPasses(executionArn: string, check: (events: HistoryEvent[]) => boolean): Promise<void> {
  await eventually(async () => check(await historyOf(sfn, executionArn)), { deadline: 20_000, what: `${executionArn}'s history` });
}

/** A deployed stack, and `pending` through the proxy with one cache folder kept across runs. */
const stacks = useProxiedStacks();
const setUp = (prefix: string, template?: string) => stacks(prefix, { template });

/** The cache's files of waiting executions. */
const isWaitingFile = (file: string) => file.startsWith("waiting-");

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
    const [file] = s.cacheFiles().filter(isWaitingFile);
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
    const text = readFileSync(join(s.cacheHome, "approvals", s.cacheFiles().filter(isWaitingFile)[0] ?? ""), "utf8");
    expect(text).not.toContain(arn);
    expect(text).not.toContain(s.tokens.get("c-one"));
  });

  it("reads every history with --no-cache", async () => {
    const fresh = await s.pending("--no-cache");
    expect(fresh.names).toEqual(["c-four", "c-three", "c-two"]);
    expect(fresh.calls.GetExecutionHistory).toBe(3);
  });

  it("starts afresh from a corrupt cache file", async () => {
    const path = join(s.cacheHome, "approvals", s.cacheFiles().filter(isWaitingFile)[0] ?? "");
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
    await historyPasses(decided, (events) => events.some((e) => e.type === "WaitStateEntered"));
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
