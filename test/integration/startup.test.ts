// Start-up stays fast because nothing loads the AWS SDK before a command needs it, and each
// command loads only the clients it uses. A module-resolution hook records every module the
// built binary loads; the libraries are bundled into dist/, so esbuild's metafile says which
// packages each loaded chunk holds.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
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
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; packages: Set<string>; urls: string[]; stderr: string }> {
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
  return { code: result.code, packages, urls, stderr: result.stderr };
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
    `import { createRequire, register } from "node:module";
import { appendFileSync } from "node:fs";
const log = process.env.APPROVALS_LOAD_LOG;
register("./hooks.mjs", import.meta.url, { data: { log } });
// CommonJS modules required from CommonJS bypass the hooks: list the require cache at exit too.
const require = createRequire(import.meta.url);
process.on("exit", () => {
  const paths = Object.keys(require.cache);
  if (log && paths.length) appendFileSync(log, paths.map((p) => "file://" + p).join("\\n") + "\\n");
});
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
