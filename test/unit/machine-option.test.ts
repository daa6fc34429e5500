// How a name or ARN given to `--state-machine` is read, and which remembered names completion offers after it.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_MACHINES, rememberMachines, scopeOf, writeWaiting } from "../../src/completion/cache.js";
import { runInProcess } from "./commands/in-process.js";

/** Names planted in the store as another writer (an older version, a bug) might have left them. */
async function plant(names: string[]): Promise<NodeJS.ProcessEnv> {
  const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "approvals-cache-")) };
  await rememberMachines({ aws: {}, env, now: () => new Date() }, names, true);
  return env;
}

/** What `approvals __complete <words>` offers, values only. */
async function offered(words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const { stdout } = await runInProcess(["__complete", ...words], {}, { env });
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("\t")[0] ?? "");
}

describe("--state-machine completion", () => {
  it("offers only names the commands take as a state machine name", async () => {
    const refused = ["has space", "$(touch x)", "a;b", "a`b`", "x".repeat(81), 'quote"d', "semi:colon", "star*", ""];
    const env = await plant([...refused, "OrderApproval", "-x", "--stack-name=prod", "_under", "y".repeat(80)]);
    expect(await offered(["pending", "--state-machine", ""], env)).toEqual([
      "OrderApproval",
      "-x",
      "--stack-name=prod",
      "_under",
      "y".repeat(80),
    ]);
  });

  it("offers no more names than it remembers at most, whatever the file holds", async () => {
    const env = await plant(["m0"]);
    // rememberMachines keeps MAX_MACHINES; a file written otherwise may hold more.
    const dir = join(env.XDG_CACHE_HOME as string, "approvals");
    const file = join(dir, readdirSync(dir).find((f) => f.startsWith("names-")) ?? "");
    const stored = JSON.parse(readFileSync(file, "utf8"));
    stored.entries.machines.names = Array.from({ length: MAX_MACHINES + 500 }, (_, i) => `m${i}`);
    writeFileSync(file, JSON.stringify(stored));
    expect((await offered(["pending", "--state-machine", ""], env)).length).toBe(MAX_MACHINES);
  });
});

describe("--state-machine given an ARN", () => {
  const arn = (region: string, name: string) => `arn:aws:states:${region}:123456789012:stateMachine:${name}`;

  it("refuses an ARN of another region than the run's, before anything is sent", async () => {
    const result = await runInProcess(["pending", "--state-machine", arn("eu-west-1", "OrderApproval")]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      `error: State machine ${arn("eu-west-1", "OrderApproval")} is in eu-west-1, but this run's region is us-east-1.`,
    );
    expect(result.sent.sfn).toEqual([]);
  });

  it("refuses an ARN whose name Step Functions would not give, before anything is sent", async () => {
    for (const name of ["a b", "$(touch x)", "x".repeat(81)]) {
      const result = await runInProcess(["show", "e1", "--state-machine", arn("us-east-1", name)]);
      expect(result.code).toBe(2);
      expect(result.stderr.split("\n")[0]).toMatch(/is neither a state machine name nor a state machine ARN\.$/);
      expect(result.sent.sfn).toEqual([]);
    }
  });
});

describe("execution names with --state-machine", () => {
  it("offers none of the stack's waiting executions: the command would look for them in that state machine", async () => {
    const env = { XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "approvals-cache-")) };
    // Fresh as of the in-process clock: no background refresh starts.
    await writeWaiting(scopeOf({}, env), ["build-18"], env, Date.parse("2026-11-25T10:05:00.000Z"));
    expect(await offered(["approve", ""], env)).toEqual(["build-18"]);
    for (const words of [
      ["approve", "--state-machine", "Orders", ""],
      ["show", "--state-machine=Orders", ""],
      ["decide", "--state-machine", "-x", "b"],
      ["reject", "--state-machine", "Orders", "--", ""],
    ]) {
      expect(await offered(words, env), words.join(" ")).toEqual([]);
    }
  });
});
