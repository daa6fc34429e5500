// Start-up stays fast because nothing loads the AWS SDK before a command needs it, each command
// loads only the clients it uses, and the compiled code of what it loads is kept between runs. A
// preloaded hook records every chunk of dist/ the built binary compiles; the libraries are bundled
// into dist/, so esbuild's metafile says which packages each loaded chunk holds.
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, tempHome, uniqueStackName } from "../support/cli.js";

const stack = uniqueStackName("startup");
let hookDir: string;

/** Run the binary with the recording hook; returns the exit code and the packages it loaded. */
async function loaded(
  args: string[],
  extraEnv: Record<string, string | undefined> = {},
): Promise<{ code: number | null; packages: Set<string>; urls: string[]; compiled: string[]; stdout: string; stderr: string }> {
  const log = join(hookDir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(log, "");
  const env = cliEnv({
    NODE_OPTIONS: `--require ${join(hookDir, "record.cjs")}`,
    APPROVALS_LOAD_LOG: log,
    ...extraEnv,
  });
  const result = await runCli(args, { env });
  const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const urls = lines.map((line) => line.split(" ")[0] ?? "");
  const compiled = lines.flatMap((line) => (line.endsWith(" main") ? [] : [line.split(" ")[1] ?? ""]));
  const paths = urls.flatMap((url) => {
    const chunk = /\/(dist\/[^/]+\.js)$/.exec(url)?.[1];
    return chunk ? Object.keys(metafile.outputs[chunk]?.inputs ?? {}) : [url];
  });
  const packages = new Set(paths.map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1]).filter((p): p is string => !!p));
  return { code: result.code, packages, urls, compiled, stdout: result.stdout, stderr: result.stderr };
}

/** esbuild's record of the build: the source modules in each chunk of dist/. */
let metafile: { outputs: Record<string, { inputs?: Record<string, unknown> }> };

const sdkClients = (packages: Set<string>) => [...packages].filter((p) => p.startsWith("@aws-sdk/client-")).sort();
const anySdk = (packages: Set<string>) => [...packages].filter((p) => p.startsWith("@aws-sdk/") || p.startsWith("@smithy/"));

beforeAll(async () => {
  metafile = JSON.parse(readFileSync(join(import.meta.dirname, "../../dist/metafile-esm.json"), "utf8"));
  hookDir = mkdtempSync(join(tmpdir(), "approvals-hook-"));
  // Resolution hooks run off the main thread: each resolved URL is appended to the log file.
  // The CLI's chunks are CommonJS scripts that src/load.ts compiles with node:vm: the hook wraps
  // vm.Script and logs each chunk, whether compiled code was offered with it and whether V8 took it.
  writeFileSync(
    join(hookDir, "record.cjs"),
    `const vm = require("node:vm");
const { appendFileSync } = require("node:fs");
const log = process.env.APPROVALS_LOAD_LOG;
if (log) appendFileSync(log, "file://" + process.argv[1] + " main\\n");
const Script = vm.Script;
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    const cache = !options?.cachedData ? "compiled" : this.cachedDataRejected ? "rejected" : "cached";
    if (log && options?.filename) appendFileSync(log, "file://" + options.filename + " " + cache + "\\n");
  }
};
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

describe("compiled code kept between runs", () => {
  // The tests share one folder (NODE_COMPILE_CACHE, vitest.config.ts); these use the default one.
  const defaultFolder = (home: string) => join(home, ".cache", "approvals-compile");
  const files = (folder: string) =>
    existsSync(folder) ? readdirSync(folder).flatMap((v8) => readdirSync(join(folder, v8)).map((f) => join(folder, v8, f))) : [];

  it("a run writes it to ~/.cache/approvals-compile, private to the user, and the next run compiles nothing", async () => {
    const home = tempHome();
    const first = await loaded(["pending", "--json", "--stack-name", stack], { HOME: home, NODE_COMPILE_CACHE: undefined });
    expect(first.code, first.stderr).toBe(0);
    expect(first.compiled.length).toBeGreaterThan(5);
    expect(new Set(first.compiled)).toEqual(new Set(["compiled"]));
    const written = files(defaultFolder(home));
    expect(written.length).toBe(first.compiled.length);
    for (const file of written) expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    for (const dir of [defaultFolder(home), ...readdirSync(defaultFolder(home)).map((v8) => join(defaultFolder(home), v8))]) {
      expect((statSync(dir).mode & 0o777).toString(8)).toBe("700");
    }
    const mtimes = written.map((file) => statSync(file).mtimeMs);

    const second = await loaded(["pending", "--json", "--stack-name", stack], { HOME: home, NODE_COMPILE_CACHE: undefined });
    expect(second.code, second.stderr).toBe(0);
    // A warm run loads fewer chunks (no CloudFormation client): each came from the cache, none was rewritten.
    expect(second.compiled.length).toBeGreaterThan(5);
    expect(new Set(second.compiled)).toEqual(new Set(["cached"]));
    expect(files(defaultFolder(home)).map((file) => statSync(file).mtimeMs)).toEqual(mtimes);
  });

  it("a cache file that is not V8's is compiled afresh and replaced", async () => {
    const home = tempHome();
    const env = { HOME: home, NODE_COMPILE_CACHE: undefined };
    expect((await loaded(["--help"], env)).code).toBe(0);
    const written = files(defaultFolder(home));
    for (const file of written) writeFileSync(file, "not compiled code");
    const again = await loaded(["--help"], env);
    expect(again.code, again.stderr).toBe(0);
    expect(new Set(again.compiled)).toEqual(new Set(["rejected"]));
    for (const file of written) expect(readFileSync(file, "utf8")).not.toBe("not compiled code");
  });

  it("--no-cache writes none", async () => {
    const home = tempHome();
    const run = await loaded(["pending", "--json", "--no-cache", "--stack-name", stack], { HOME: home, NODE_COMPILE_CACHE: undefined });
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(run.compiled)).toEqual(new Set(["compiled"]));
    expect(existsSync(join(home, ".cache"))).toBe(false);
  });

  it("a folder others can write is neither read nor written", async () => {
    const home = tempHome();
    const env = { HOME: home, NODE_COMPILE_CACHE: undefined };
    expect((await loaded(["--help"], env)).code).toBe(0);
    const [v8] = readdirSync(defaultFolder(home));
    const folder = join(defaultFolder(home), v8 ?? "");
    chmodSync(folder, 0o777);
    const before = files(defaultFolder(home)).map((file) => [file, statSync(file).mtimeMs]);
    const run = await loaded(["--help"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(run.compiled)).toEqual(new Set(["compiled"]));
    expect(files(defaultFolder(home)).map((file) => [file, statSync(file).mtimeMs])).toEqual(before);
  });

  it("NODE_COMPILE_CACHE moves it", async () => {
    const home = tempHome();
    const elsewhere = mkdtempSync(join(tmpdir(), "approvals-compile-"));
    const run = await loaded(["--help"], { HOME: home, NODE_COMPILE_CACHE: elsewhere });
    expect(run.code, run.stderr).toBe(0);
    expect(files(join(elsewhere, "approvals")).length).toBe(run.compiled.length);
    expect(existsSync(join(home, ".cache"))).toBe(false);
  });
});
