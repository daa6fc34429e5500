// Start-up stays fast because nothing loads the AWS SDK before a command needs it, each command
// loads only the clients it uses, and (Node 22.1+) Node keeps the compiled code of what it loads
// between runs. A module-resolution hook records every module the built binary loads; the libraries
// are bundled into dist/, so esbuild's metafile says which packages each loaded chunk holds.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as nodeModule from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, tempHome, uniqueStackName } from "../support/cli.js";

const stack = uniqueStackName("startup");
let hookDir: string;

/** Run the binary with the recording hook; returns the exit code and the packages it loaded. */
async function loaded(
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): Promise<{ code: number | null; packages: Set<string>; urls: string[]; stdout: string; stderr: string }> {
  const log = join(hookDir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, "");
  const env = cliEnv({
    NODE_OPTIONS: `--import ${pathToFileURL(join(hookDir, "register.mjs")).href}`,
    APPROVALS_LOAD_LOG: log,
    ...extraEnv,
  });
  const result = await runCli(args, { env });
  const urls = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const paths = urls.flatMap((url) => {
    const chunk = /\/(dist\/[^/]+\.js)$/.exec(url)?.[1];
    return chunk ? Object.keys(metafile.outputs[chunk]?.inputs ?? {}) : [url];
  });
  const packages = new Set(paths.map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter((p): p is string => !!p));
  return { code: result.code, packages, urls, stdout: result.stdout, stderr: result.stderr };
}

/** esbuild's record of the build: the source modules in each chunk of dist/. */
let metafile: { outputs: Record<string, { inputs?: Record<string, unknown> }> };

const sdkClients = (packages: Set<string>) => [...packages].filter((p) => p.startsWith("@aws-sdk/client-")).sort();
const anySdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith("@aws-sdk/") || p.startsWith("@smithy/"));

beforeAll(async () => {
  metafile = JSON.parse(readFileSync(join(import.meta.dirname, "../../dist/metafile-esm.json"), "utf8"));
  hookDir = mkdtempSync(join(tmpdir(), "approvals-hook-"));
  // Resolution hooks run off the main thread: each resolved URL is appended to the log file.
  writeFileSync(
    join(hookDir, "hooks.mjs"),
    `import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (log) appendFileSync(log, result.url + "\\n");
  return result;
}
`,
  );
  writeFileSync(
    join(hookDir, "register.mjs"),
    `import { register } from "node:module";
register("./hooks.mjs", import.meta.url, { data: { log: process.env.APPROVALS_LOAD_LOG } });
`,
  );
  const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env: cliEnv() });
  expect(deployed.code, deployed.stderr).toBe(0);
});

describe("start-up", () => {
  it.each(["--version", "--help", "pending --help", "template"])("approvals %s loads no AWS SDK", async (command) => {
    const { code, packages, urls, stderr } = await loaded(command.split(" "));
    expect(code, stderr).toBe(0);
    // The hook saw the binary load, so it works…
    expect(urls.some((url) => url.endsWith("/bin/approvals.js"))).toBe(true);
    // …and no SDK module, though the chunks it did load hold other libraries.
    expect(anySdk(packages)).toEqual([]);
    if (command !== "--version") expect(packages.has("commander")).toBe(true);
  });

  it("pending loads the CloudFormation and Step Functions clients, not SNS", async () => {
    const { code, packages, stderr } = await loaded(["pending", "--json", "--stack-name", stack]);
    expect(code, stderr).toBe(0);
    expect(sdkClients(packages)).toEqual(["@aws-sdk/client-cloudformation", "@aws-sdk/client-sfn"]);
  });

  it("a warm pending, with the stack remembered by the run before, loads only the Step Functions client", async () => {
    const home = tempHome();
    const first = await runCli(["pending", "--json", "--stack-name", stack], { env: cliEnv({ HOME: home }) });
    expect(first.code, first.stderr).toBe(0);
    const { code, packages, stderr } = await loaded(["pending", "--json", "--stack-name", stack], { HOME: home });
    expect(code, stderr).toBe(0);
    expect(sdkClients(packages)).toEqual(["@aws-sdk/client-sfn"]);
  });

  it("outputs, which reads the email subscription, also loads SNS", async () => {
    const { code, packages, stderr } = await loaded(["outputs", "--json", "--stack-name", stack]);
    expect(code, stderr).toBe(0);
    expect(sdkClients(packages)).toEqual(["@aws-sdk/client-cloudformation", "@aws-sdk/client-sfn", "@aws-sdk/client-sns"]);
  });
});

// Node's own compile cache (22.1+), in a folder private to the user. NODE_DEBUG_NATIVE=COMPILE_CACHE
// makes Node say, for each module, whether it used kept code ("was accepted") or wrote new code.
// @types/node is Node 20's, which has no enableCompileCache.
const nodeCompiles = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === "function";
const traced = { NODE_DEBUG_NATIVE: "COMPILE_CACHE", NODE_COMPILE_CACHE: undefined };
const accepted = (stderr: string) => (stderr.match(/was accepted/g) ?? []).length;
const written = (stderr: string) => (stderr.match(/writing cache for/g) ?? []).length;

describe.runIf(nodeCompiles)("compiled code kept between runs (Node 22.1 and later)", () => {
  const folder = (home: string) => join(home, ".cache", "approvals-compile");
  const files = (dir: string) =>
    existsSync(dir) ? readdirSync(dir).flatMap((v) => readdirSync(join(dir, v)).map((f) => join(dir, v, f))) : [];

  it("a run writes it to ~/.cache/approvals-compile, private to the user, and the next run compiles nothing", async () => {
    const home = tempHome();
    const first = await loaded(["pending", "--json", "--stack-name", stack], { HOME: home, ...traced });
    expect(first.code, first.stderr).toBe(0);
    expect(written(first.stderr)).toBeGreaterThan(5);
    expect(accepted(first.stderr)).toBe(0);
    expect((statSync(folder(home)).mode & 0o777).toString(8)).toBe("700");
    const kept = files(folder(home));
    // Node's trace names each file it writes; at exit it may write more than it traced in a pipe.
    expect(kept.length).toBeGreaterThanOrEqual(written(first.stderr));
    for (const file of kept) expect((statSync(file).mode & 0o777).toString(8)).toBe("600");

    const second = await loaded(["pending", "--json", "--stack-name", stack], { HOME: home, ...traced });
    expect(second.code, second.stderr).toBe(0);
    expect(accepted(second.stderr)).toBeGreaterThan(5);
    expect(written(second.stderr)).toBe(0);
  });

  it("--no-cache writes none, and --debug says why", async () => {
    const home = tempHome();
    const run = await loaded(["pending", "--json", "--no-cache", "--debug", "--stack-name", stack], {
      HOME: home,
      NODE_COMPILE_CACHE: undefined,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("[debug] compiled code is not kept: --no-cache");
    expect(existsSync(join(home, ".cache"))).toBe(false);
  });

  it("a folder others can write is neither read nor written", async () => {
    const home = tempHome();
    expect((await loaded(["--help"], { HOME: home, ...traced })).code).toBe(0);
    chmodSync(folder(home), 0o777);
    const before = files(folder(home)).map((file) => [file, statSync(file).mtimeMs]);
    const run = await loaded(["pending", "--json", "--debug", "--stack-name", stack], { HOME: home, ...traced });
    expect(run.code, run.stderr).toBe(0);
    expect(accepted(run.stderr)).toBe(0);
    expect(run.stderr).toContain(`[debug] compiled code is not kept: others can write ${folder(home)}`);
    expect(files(folder(home)).map((file) => [file, statSync(file).mtimeMs])).toEqual(before);
  });

  it("NODE_COMPILE_CACHE moves it", async () => {
    const home = tempHome();
    const elsewhere = mkdtempSync(join(tmpdir(), "approvals-compile-"));
    const run = await loaded(["--help"], { HOME: home, NODE_DEBUG_NATIVE: "COMPILE_CACHE", NODE_COMPILE_CACHE: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(files(elsewhere).length).toBeGreaterThanOrEqual(written(run.stderr));
    expect(written(run.stderr)).toBeGreaterThan(0);
    expect(existsSync(join(home, ".cache"))).toBe(false);
  });
});

describe.runIf(!nodeCompiles)("compiled code on Node 20", () => {
  it("is not kept, and --debug says so", async () => {
    const home = tempHome();
    const run = await loaded(["pending", "--json", "--debug", "--stack-name", stack], { HOME: home, NODE_COMPILE_CACHE: undefined });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`[debug] compiled code is not kept: Node ${process.versions.node} has no compile cache`);
    expect(existsSync(join(home, ".cache", "approvals-compile"))).toBe(false);
  });
});
