// Task tokens are bearer secrets: no command prints one (results, errors, --debug logs) unless
// asked with --links. Files the CLI writes are private (0600 in a 0700 folder), hold no secret,
// and a corrupt one is ignored.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GetExecutionHistoryCommand, SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, cliEnv, endpoint, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { type HookAnswer, type Recorder, startRecorder } from "../support/recorder.js";

const stack = uniqueStackName("secret");
const email = "ops@example.com";
let env: Record<string, string | undefined>;
let recorder: Recorder | undefined;
const tokens = new Map<string, string>();

const run = (args: string[], extra: Record<string, string | undefined> = {}, input = "{}") =>
  runCli([...args, "--stack-name", stack], { env: { ...env, ...extra }, input });

async function tokenOf(executionArn: string): Promise<string> {
  const { events } = await sdk().sfn.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: true }));
  const scheduled = events?.find((e) => e.type === "TaskScheduled");
  return JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? "{}").Payload.ExecutionContext.Task.Token;
}

/** Every form a token could be printed in: raw, URL-encoded (as in the links), JSON-escaped. */
function expectNoToken(result: CliResult, what: string) {
  const all = result.stdout + result.stderr;
  for (const [name, token] of tokens) {
    for (const form of new Set([token, encodeURIComponent(token), JSON.stringify(token).slice(1, -1)])) {
      expect(all.includes(form), `${what} printed the task token of ${name}`).toBe(false);
    }
  }
}

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes"]);
  expect(deployed.code, deployed.stderr).toBe(0);
  for (const name of ["sec-approve", "sec-race", "sec-fail", "sec-waiting", "sec-retry"]) {
    const started = await run(["start", "--input", "-", "--name", name, "--json"], {}, `{"Comment":"${name}"}`);
    expect(started.code, started.stderr).toBe(0);
    tokens.set(name, await tokenOf(JSON.parse(started.stdout).executionArn));
  }
  expect(new Set(tokens.values()).size).toBe(tokens.size);
});

afterEach(async () => {
  await recorder?.stop();
  recorder = undefined;
});

describe("task tokens are never printed unless asked", () => {
  const commands: [string, string[]][] = [
    ["deploy (no changes)", ["deploy", "--yes", "--debug"]],
    ["outputs", ["outputs", "--debug"]],
    ["outputs --json", ["outputs", "--json", "--debug"]],
    ["pending", ["pending"]],
    ["pending --debug", ["pending", "--debug"]],
    ["pending --json --debug", ["pending", "--json", "--debug"]],
    ["show a waiting execution", ["show", "sec-waiting", "--debug"]],
    ["show --json a waiting execution", ["show", "sec-waiting", "--json", "--debug"]],
    ["approve --wait", ["approve", "sec-approve", "--yes", "--wait", "--debug"]],
    ["approve again (not waiting)", ["approve", "sec-approve", "--yes", "--debug"]],
    ["approve --json again", ["approve", "sec-approve", "--yes", "--json", "--debug"]],
    ["show a decided execution", ["show", "sec-approve", "--debug"]],
    ["show --json a decided execution", ["show", "sec-approve", "--json", "--debug"]],
    ["fail", ["fail", "sec-fail", "--error", "Withdrawn", "--cause", "not needed", "--yes", "--debug"]],
    ["reject a failed execution", ["reject", "sec-fail", "--yes", "--debug"]],
    ["show a failed execution", ["show", "sec-fail", "--debug"]],
    ["without --yes (refused)", ["approve", "sec-waiting", "--debug"]],
  ];

  it.each(commands)("%s", async (what, args) => {
    const result = await run(args);
    expect(result.code, result.stderr).not.toBeNull();
    expectNoToken(result, what);
  });

  it("decided by someone else first (--debug error path)", async () => {
    const token = tokens.get("sec-race") as string;
    recorder = await startRecorder({
      target: endpoint(),
      before: async ({ operation }): Promise<HookAnswer> => {
        if (operation === "SendTaskSuccess")
          await sdk().sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"Status":"x"}' }));
        return "forward";
      },
    });
    const result = await run(["approve", "sec-race", "--yes", "--debug"], { AWS_ENDPOINT_URL: recorder.endpoint });
    expect(result.code).toBe(3);
    expectNoToken(result, "approve losing a race");
  });

  it("a send retried after a dropped connection (--debug)", async () => {
    let dropped = false;
    recorder = await startRecorder({
      target: endpoint(),
      before: ({ operation }) => {
        if (operation !== "SendTaskSuccess" || dropped) return "forward";
        dropped = true;
        return "drop";
      },
    });
    const result = await run(["approve", "sec-retry", "--yes", "--debug"], { AWS_ENDPOINT_URL: recorder.endpoint });
    expect(dropped).toBe(true);
    expectNoToken(result, "approve retried");
  });

  it("prints them with pending --links, URL-encoded in the links, as the email does", async () => {
    const token = encodeURIComponent(tokens.get("sec-waiting") as string);
    const text = await run(["pending", "--links"]);
    expect(text.stdout).toContain(`taskToken=${token}`);
    const json = await run(["pending", "--links", "--json"]);
    expect(json.stdout).toContain(`taskToken=${token}`);
  });
});

describe("files on disk", () => {
  const cacheDir = (home: string) => join(home, ".cache", "approvals");
  const mode = (path: string) => statSync(path).mode & 0o777;
  const filesIn = (dir: string) => readdirSync(dir).map((f) => join(dir, f));

  it("writes private files (0600 in a 0700 folder) that hold no credentials", async () => {
    const home = tempHome();
    // A folder left open by something else is closed again.
    mkdirSync(cacheDir(home), { recursive: true, mode: 0o755 });
    chmodSync(cacheDir(home), 0o755);
    const result = await run(["pending", "--json"], { HOME: home, XDG_CACHE_HOME: undefined });
    expect(result.code, result.stderr).toBe(0);

    expect(mode(cacheDir(home))).toBe(0o700);
    const files = filesIn(cacheDir(home));
    expect(files.length).toBeGreaterThan(0);
    expect(files.some((f) => readFileSync(f, "utf8").includes("sec-waiting"))).toBe(true);
    for (const file of files) {
      expect(mode(file), file).toBe(0o600);
      const text = readFileSync(file, "utf8");
      expect(text).not.toContain(String(env.AWS_SECRET_ACCESS_KEY));
      expect(text).not.toMatch(/secretAccessKey|sessionToken|aws_secret/i);
    }
  });

  it("ignores corrupt files, and replaces them", async () => {
    const home = tempHome();
    const first = await run(["pending"], { HOME: home, XDG_CACHE_HOME: undefined });
    expect(first.code, first.stderr).toBe(0);
    const files = filesIn(cacheDir(home));
    for (const file of files) writeFileSync(file, '{"version":1,"scopes":{"x":', { mode: 0o600 });

    const again = await run(["pending", "--json"], { HOME: home, XDG_CACHE_HOME: undefined });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/error|warning/i);
    expect(JSON.parse(again.stdout).map((p: { name: string }) => p.name)).toContain("sec-waiting");
    for (const file of filesIn(cacheDir(home))) {
      expect(() => JSON.parse(readFileSync(file, "utf8")), file).not.toThrow();
      expect(mode(file), file).toBe(0o600);
    }
  });
});
