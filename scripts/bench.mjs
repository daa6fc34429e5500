// `npm run bench`: how `approvals pending`, batch `approve` and start-up perform against the local
// emulator behind a proxy that adds a region's round trip (and, with --throttle, Step Functions'
// quotas). Prints a table and writes bench/results/latest.json and latest.md.
//
//   node scripts/bench.mjs [--n 100,1000] [--delay 50] [--throttle] [--batch 100] [--no-approve] [--runs 11]
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
import { machine, renderMarkdown } from "./bench-report.mjs";
import { emulatorEnv, startEmulator } from "./emulator.mjs";
import { STEP_FUNCTIONS_QUOTAS, startProxy } from "./proxy.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(ROOT, "bin", "approvals.js");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const { values: flags } = parseArgs({
  options: {
    n: { type: "string", default: "100,1000" },
    delay: { type: "string", default: "50" },
    throttle: { type: "boolean", default: false },
    batch: { type: "string", default: "100" },
    "no-approve": { type: "boolean", default: false },
    runs: { type: "string", default: "11" },
    out: { type: "string", default: join(ROOT, "bench", "results") },
  },
});
// The bench's own SDK clients run on whatever Node runs it: keep the SDK's Node 20 notice out of the log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const sizes = flags.n
  .split(",")
  .map(Number)
  .filter((n) => n > 0)
  .sort((a, b) => a - b);
const delayMs = Number(flags.delay);
const log = (text) => process.stderr.write(`${text}\n`);

const work = mkdtempSync(join(tmpdir(), "approvals-bench-"));
let emulator;
const proxies = [];
try {
  const started = Date.now();
  emulator = await startEmulator();
  const proxy = await startProxy({ target: emulator.endpoint, delayMs });
  proxies.push(proxy);
  const throttled = flags.throttle ? await startProxy({ target: emulator.endpoint, delayMs, throttle: true }) : undefined;
  if (throttled) proxies.push(throttled);
  const direct = {
    ...process.env,
    ...emulatorEnv(emulator.endpoint),
    HOME: work,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  delete direct.XDG_CACHE_HOME;
  const client = (endpoint) =>
    new SFNClient({ ...sdkConfig(endpoint), maxAttempts: 8, retryMode: "standard", requestHandler: { requestTimeout: 60_000 } });
  const sfnDirect = client(emulator.endpoint);
  const sfnProxied = client(proxy.endpoint);

  log(
    `Emulator ${emulator.endpoint}, proxy ${proxy.endpoint} (+${delayMs} ms per call)${throttled ? `, throttled proxy ${throttled.endpoint}` : ""}`,
  );
  const stateMachineArn = await deploy("bench", direct);
  const results = { machine: await machine(), delayMs, throttle: Boolean(throttled), pending: [], approve: undefined, startup: undefined };
  let count = 0;
  for (const n of sizes) {
    await startExecutions(sfnDirect, stateMachineArn, "w", count, n);
    count = n;
    const via = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint };
    const row = { n, delayMs };
    log(`\nN=${n}: sequential ListExecutions + GetExecutionHistory loop…`);
    row.sequential = await measure(proxy, () => sequentialLoop(sfnProxied, stateMachineArn));
    log(`N=${n}: the emulator's own pace: the same reads, 10 at a time, without the proxy…`);
    row.emulatorFloor = await measure(undefined, () => parallelReads(sfnDirect, stateMachineArn, 10));
    const cacheHome = join(work, `cache-${n}`);
    log(`N=${n}: approvals pending --json, cold (empty cache) and warm…`);
    row.cold = await measure(proxy, () => pendingRun(via, cacheHome));
    row.warm = await measure(proxy, () => pendingRun(via, cacheHome));
    const added = 10;
    await startExecutions(sfnDirect, stateMachineArn, "w", count, count + added);
    count += added;
    row.warmNew = { ...(await measure(proxy, () => pendingRun(via, cacheHome))), newExecutions: added };
    row.noCache = await measure(proxy, () => pendingRun(via, cacheHome, ["--no-cache"]));
    if (throttled) {
      log(`N=${count}: pending through the throttled proxy, cold and warm…`);
      const viaThrottle = { ...direct, AWS_ENDPOINT_URL: throttled.endpoint };
      const throttleHome = join(work, `cache-throttled-${n}`);
      row.throttled = {
        n: count,
        floorSeconds: quotaFloor(count),
        cold: await measure(throttled, () => pendingRun(viaThrottle, throttleHome)),
        warm: await measure(throttled, () => pendingRun(viaThrottle, throttleHome)),
      };
    }
    results.pending.push(row);
    log(`N=${n}: sequential ${sec(row.sequential.ms)}, cold ${sec(row.cold.ms)}, warm ${sec(row.warm.ms)}`);
  }
  if (!flags["no-approve"]) results.approve = await approveBench(direct, proxy, Number(flags.batch));
  results.startup = await startupBench(direct, Number(flags.runs));
  results.totalSeconds = (Date.now() - started) / 1000;

  mkdirSync(flags.out, { recursive: true });
  writeFileSync(join(flags.out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  writeFileSync(join(flags.out, "latest.md"), markdown);
  process.stdout.write(`\n${markdown}`);
  log(`\nWrote ${join(flags.out, "latest.json")} in ${results.totalSeconds.toFixed(0)} s.`);
} catch (error) {
  log(`bench failed: ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  for (const proxy of proxies) await proxy.stop();
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
}

function sdkConfig(endpoint) {
  return { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
}

/** Deploy a stack with the built CLI (straight to the emulator) and return its state machine ARN. */
async function deploy(stackName, env) {
  const result = await run(process.execPath, [BIN, "deploy", "--email", "bench@example.com", "--yes", "--stack-name", stackName], env);
  if (result.code !== 0) throw new Error(`deploy failed: ${result.stderr}`);
  const cfn = new CloudFormationClient(sdkConfig(env.AWS_ENDPOINT_URL));
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
  return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue;
}

/** Start executions `prefix<from>` … `prefix<to - 1>` straight at the emulator, a few at a time. */
async function startExecutions(sfn, stateMachineArn, prefix, from, to) {
  const begun = Date.now();
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const input = JSON.stringify({ Comment: `Benchmark request ${i}` });
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `${prefix}${i}`, input }));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  // The executions reach the callback state within milliseconds; give the stragglers a moment.
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (to > from) log(`Started ${to - from} executions (${prefix}${from}…${prefix}${to - 1}) in ${sec(Date.now() - begun)}`);
}

/** What the plain approach does: list RUNNING executions, then read each history tail, one at a time. */
async function sequentialLoop(sfn, stateMachineArn) {
  let waiting = 0;
  let nextToken;
  const arns = [];
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", maxResults: 1000, nextToken }));
    arns.push(...(page.executions ?? []).map((e) => e.executionArn));
    nextToken = page.nextToken;
  } while (nextToken);
  for (const executionArn of arns) {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 10, includeExecutionData: true }),
    );
    if (events.some((e) => e.type === "TaskScheduled")) waiting++;
  }
  return { ok: true, found: waiting };
}

/** The same reads straight at the emulator, `concurrency` at a time: how fast the emulator itself can answer. */
async function parallelReads(sfn, stateMachineArn, concurrency) {
  const arns = [];
  let pages = 0;
  let nextToken;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "RUNNING", maxResults: 1000, nextToken }));
    arns.push(...(page.executions ?? []).map((e) => e.executionArn));
    nextToken = page.nextToken;
    pages++;
  } while (nextToken);
  let next = 0;
  const worker = async () => {
    while (next < arns.length) {
      const executionArn = arns[next++];
      await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 10, includeExecutionData: true }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return {
    ok: true,
    found: arns.length,
    calls: arns.length + pages,
    byOperation: { ListExecutions: pages, GetExecutionHistory: arns.length },
  };
}

/** One `approvals pending --json` run through the proxy, with its cache under `cacheHome`. */
async function pendingRun(env, cacheHome, extra = []) {
  const result = await runCli(["pending", "--json", "--stack-name", "bench", ...extra], { ...env, XDG_CACHE_HOME: cacheHome });
  let found;
  try {
    found = JSON.parse(result.stdout).length;
  } catch {}
  return {
    ok: result.code === 0,
    code: result.code,
    found,
    maxRssKb: result.maxRssKb,
    error: result.code ? result.stderr.trim() : undefined,
  };
}

/** Time `action` and count the calls the proxy saw meanwhile (without a proxy, the action counts its own). */
async function measure(proxy, action) {
  proxy?.reset();
  const begun = performance.now();
  const outcome = await action();
  const ms = Math.round(performance.now() - begun);
  if (!proxy) return { ms, ...outcome };
  return { ms, ...outcome, calls: proxy.stats.total, byOperation: { ...proxy.stats.calls }, throttled: sum(proxy.stats.throttled) };
}

/** The least time the published GetExecutionHistory quota allows for reading `n` histories cold. */
function quotaFloor(n) {
  const { burst, perSecond } = STEP_FUNCTIONS_QUOTAS.GetExecutionHistory;
  return Math.max(0, (n - burst) / perSecond);
}

/** Approve `size` executions in one `approve` run, against `size` separate runs and a sequential SDK loop. */
async function approveBench(direct, proxy, size) {
  log(`\nApprove: ${size} executions in one run vs one by one…`);
  const stateMachineArn = await deploy("bench-approve", direct);
  const sfn = new SFNClient(sdkConfig(direct.AWS_ENDPOINT_URL));
  const via = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint, XDG_CACHE_HOME: join(work, "cache-approve") };
  const names = (prefix) => Array.from({ length: size }, (_, i) => `${prefix}${i}`);
  const args = ["--yes", "--stack-name", "bench-approve"];
  await startExecutions(sfn, stateMachineArn, "batch-", 0, size);
  const batch = await measure(proxy, async () => {
    const result = await runCli(["approve", ...names("batch-"), ...args, "--json"], via);
    return { ok: result.code === 0, code: result.code, maxRssKb: result.maxRssKb };
  });
  await startExecutions(sfn, stateMachineArn, "single-", 0, size);
  const oneByOne = await measure(proxy, async () => {
    let failed = 0;
    for (const name of names("single-")) if ((await runCli(["approve", name, ...args], via)).code !== 0) failed++;
    return { ok: failed === 0, failed };
  });
  await startExecutions(sfn, stateMachineArn, "sdk-", 0, size);
  const sdkLoop = await measure(proxy, () => sdkApproveLoop(proxy, stateMachineArn, names("sdk-")));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "SUCCEEDED", maxResults: 1000 }));
  return { size, batch, oneByOne, sdkLoop, succeeded: executions.length, expectedSucceeded: 3 * size };
}

/** Decide each execution with the fewest calls a script would make: read its token, send the decision. */
async function sdkApproveLoop(proxy, stateMachineArn, names) {
  const sfn = new SFNClient({ ...sdkConfig(proxy.endpoint), maxAttempts: 8 });
  const prefix = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:`;
  for (const name of names) {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: prefix + name, reverseOrder: true, maxResults: 10, includeExecutionData: true }),
    );
    const parameters = events.find((e) => e.type === "TaskScheduled")?.taskScheduledEventDetails?.parameters ?? "{}";
    const output = JSON.stringify({ Status: "Approved! Task approved by bench@example.com" });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: findToken(JSON.parse(parameters)), output }));
  }
  return { ok: true };
}

/** The context object's Task.Token, wherever the parameters carry it. */
function findToken(value) {
  if (!value || typeof value !== "object") return undefined;
  if (typeof value.Task?.Token === "string") return value.Task.Token;
  for (const child of Object.values(value)) {
    const token = findToken(child);
    if (token) return token;
  }
  return undefined;
}

/** Median wall time (and CPU time, with /usr/bin/time) of `approvals --version`, `--help` and a bare `node -e 0`. */
async function startupBench(env, runs) {
  log(`\nStart-up: ${runs} runs each…`);
  const cases = { "node -e 0": ["-e", "0"], "approvals --version": [BIN, "--version"], "approvals --help": [BIN, "--help"] };
  const out = {};
  for (const [label, args] of Object.entries(cases)) {
    const walls = [];
    const cpus = [];
    for (let i = 0; i < runs; i++) {
      const cpuFile = join(work, `cpu-${process.hrtime.bigint()}`);
      const begun = performance.now();
      if (TIME) await run(TIME, ["-f", "%U %S", "-o", cpuFile, process.execPath, ...args], env);
      else await run(process.execPath, args, env);
      walls.push(performance.now() - begun);
      if (TIME)
        cpus.push(
          readFileSync(cpuFile, "utf8")
            .trim()
            .split("\n")
            .at(-1)
            .split(" ")
            .map(Number)
            .reduce((a, b) => a + b, 0) * 1000,
        );
    }
    out[label] = { medianMs: Math.round(median(walls) * 10) / 10, cpuMs: cpus.length ? Math.round(median(cpus)) : undefined, runs };
  }
  return out;
}

/** Run the built CLI, recording its peak resident memory. */
async function runCli(args, env) {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}`);
  const result = TIME
    ? await run(TIME, ["-f", "%M", "-o", rssFile, process.execPath, BIN, ...args], env)
    : await run(process.execPath, ["--import", rssHook(rssFile), BIN, ...args], env);
  const rss = existsSync(rssFile) ? Number.parseInt(readFileSync(rssFile, "utf8").trim().split("\n").at(-1) ?? "", 10) : Number.NaN;
  return { ...result, maxRssKb: Number.isFinite(rss) ? rss : undefined };
}

/** Without /usr/bin/time: a preload that writes the process's own peak RSS (KiB) when it exits. */
function rssHook(file) {
  const code = `process.on("exit",()=>require("node:fs").writeFileSync(${JSON.stringify(file)},String(process.resourceUsage().maxRSS)))`;
  return `data:text/javascript,${encodeURIComponent(`import{createRequire}from"node:module";const require=createRequire(import.meta.url);${code}`)}`;
}

function run(command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sum(counts) {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function sec(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}
