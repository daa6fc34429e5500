// `npm run bench`: how `approvals` performs against the local emulator behind a proxy that adds a
// region's round trip, counts every request and (for the cold rows) throttles with Step Functions'
// token buckets. Every row is the median of several runs of commands alternated round by round.
// Writes bench/results/latest.{json,md} (quick runs: quick.{json,md}) and the benchmark section of docs/performance.md.
//
//   node scripts/bench.mjs [--quick] [--n 1000] [--warm-n 100] [--memory-n 5000] [--batch 100]
//     [--runs 5] [--sequential-runs 3] [--memory-runs 3] [--delay 50] [--slow-delay 400] [--bucket 400/20]
//     [--phases approve,startup,warm,emulator,bucket,memory] [--readme | --no-readme] [--out DIR]
//   BENCH_QUICK=1 is the same as --quick: small sizes and 3 runs, for trying changes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { deploy, hasBoto3, sfnClient, startExecutions } from "./bench-baselines.mjs";
import * as phases from "./bench-phases.mjs";
import { updateReadme } from "./bench-readme.mjs";
import { machine, renderMarkdown } from "./bench-report.mjs";
import { emulatorEnv, startEmulator } from "./emulator.mjs";
import { STEP_FUNCTIONS_QUOTAS, startProxy } from "./proxy.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const ALL_PHASES = ["approve", "startup", "warm", "emulator", "bucket", "memory"];
const flags = parseFlags({
  quick: { type: "boolean", default: process.env.BENCH_QUICK === "1" },
  n: { type: "string" },
  "warm-n": { type: "string" },
  "memory-n": { type: "string" },
  batch: { type: "string" },
  runs: { type: "string" },
  "sequential-runs": { type: "string" },
  "memory-runs": { type: "string" },
  delay: { type: "string", default: "50" },
  "slow-delay": { type: "string", default: "400" },
  bucket: { type: "string" },
  phases: { type: "string", default: ALL_PHASES.join(",") },
  readme: { type: "boolean" },
  "no-readme": { type: "boolean" },
  out: { type: "string", default: join(ROOT, "bench", "results") },
});
const quick = flags.quick;
const number = (value, full, small) => Number(value ?? (quick ? small : full));
const [burst, perSecond] = (flags.bucket ?? (quick ? "40/10" : "400/20")).split("/").map(Number);
const config = {
  quick,
  n: number(flags.n, 1000, 60),
  warmN: number(flags["warm-n"], 100, 10),
  memoryN: number(flags["memory-n"], 5000, 150),
  batch: number(flags.batch, 100, 10),
  runs: number(flags.runs, 5, 3),
  sequentialRuns: number(flags["sequential-runs"], 3, 2),
  memoryRuns: number(flags["memory-runs"], 3, 2),
  delayMs: Number(flags.delay),
  slowDelayMs: Number(flags["slow-delay"]),
  bucket: { burst, perSecond },
  phases: flags.phases.split(",").filter(Boolean),
  baseline: hasBoto3 ? "boto3" : "Node SDK",
};
// Each number and the flag that sets it: bad input stops the run before anything starts.
const FLAG_OF = {
  n: "--n",
  warmN: "--warm-n",
  memoryN: "--memory-n",
  batch: "--batch",
  runs: "--runs",
  sequentialRuns: "--sequential-runs",
  memoryRuns: "--memory-runs",
  delayMs: "--delay",
  slowDelayMs: "--slow-delay",
  burst: "--bucket",
  perSecond: "--bucket",
};
for (const [key, flag] of Object.entries(FLAG_OF)) {
  const value = key in config ? config[key] : config.bucket[key];
  const delay = key.endsWith("Ms");
  if (!Number.isInteger(value) || value < (delay ? 0 : 1)) {
    const wanted = flag === "--bucket" ? "BURST/PER_SECOND, two positive integers" : `a ${delay ? "non-negative" : "positive"} integer`;
    process.stderr.write(`bench: ${flag} must be ${wanted} (usage at the top of scripts/bench.mjs).\n`);
    process.exit(2);
  }
}
const unknown = config.phases.filter((p) => !ALL_PHASES.includes(p));
if (unknown.length) {
  process.stderr.write(`bench: unknown phase ${unknown.join(", ")}: choose from ${ALL_PHASES.join(", ")}.\n`);
  process.exit(2);
}
// The bench's own SDK clients run on whatever Node runs it: keep the SDK's Node 20 notice out of the log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const log = (text) => process.stderr.write(`${text}\n`);
const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const work = mkdtempSync(join(tmpdir(), "approvals-bench-"));
const running = [];
const results = { machine: await machine(), config, phases: {}, rows: {} };
const ctx = { bin: join(ROOT, "bin", "approvals.js"), work, config, baseline: config.baseline, log, env: undefined };
const has = (phase) => config.phases.includes(phase);

try {
  const begun = Date.now();
  if (has("approve")) {
    await withEmulator(async (emulator, sfn) => {
      const proxy = await proxyFor(emulator, config.delayMs);
      await phase("approve", async () => phases.approvePhase(ctx, proxy, sfn, await deploy(ctx.bin, "bench-approve", ctx.env)));
    });
  }
  await withEmulator(async (emulator, sfn) => {
    const proxy0 = await proxyFor(emulator, 0);
    const arn = await deploy(ctx.bin, "bench", ctx.env);
    let started = 0;
    const grow = async (to) => {
      if (to <= started) return;
      log(`Starting executions ${started}…${to - 1}`);
      await startExecutions(sfn, arn, "w", started, to);
      started = to;
    };
    await grow(config.warmN);
    if (has("startup")) await phase("startup", () => phases.startupPhase(ctx, proxy0));
    if (has("warm")) await phase("warm", async () => phases.warmPhase(ctx, proxy0, await proxyFor(emulator, config.slowDelayMs)));
    if (has("emulator") || has("bucket")) await grow(config.n);
    if (has("emulator")) await phase("emulator", () => phases.emulatorPhase(ctx, proxy0, sfn, arn));
    if (has("bucket")) {
      const quotas = { ...STEP_FUNCTIONS_QUOTAS, GetExecutionHistory: config.bucket };
      const proxy = await proxyFor(emulator, config.delayMs, quotas);
      await phase("bucket", () => phases.throttledPhase(ctx, proxy, arn));
    }
    // moto keeps a few threads per waiting execution: growing to thousands can fail on a small machine.
    if (has("memory")) {
      await phase("memory", async () => {
        await grow(config.memoryN);
        return phases.memoryPhase(ctx, proxy0);
      });
    }
  });
  results.totalSeconds = (Date.now() - begun) / 1000;
} catch (error) {
  log(`bench stopped early: ${error.stack ?? error}`);
  results.failure = String(error.message ?? error).split("\n")[0];
  process.exitCode = 1;
} finally {
  for (const stop of running.reverse()) await stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
results.loadAtEnd = load();

const name = quick ? "quick" : "latest";
mkdirSync(flags.out, { recursive: true });
writeFileSync(join(flags.out, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
const markdown = renderMarkdown(results);
writeFileSync(join(flags.out, `${name}.md`), markdown);
process.stdout.write(`\n${markdown}`);
if (flags.readme ?? (!quick && !flags["no-readme"] && !results.failure)) {
  updateReadme(join(ROOT, "docs", "performance.md"), markdown);
  log("docs/performance.md's benchmark section now shows this run.");
}
log(`Wrote ${join(flags.out, `${name}.json`)}${results.totalSeconds ? ` in ${results.totalSeconds.toFixed(0)} s` : ""}.`);

/** Run one phase, recording its rows, its duration and the machine's load around it. */
async function phase(name, measure) {
  log(`\n${name}…`);
  const entry = { loadBefore: load() };
  const begun = Date.now();
  try {
    Object.assign(results.rows, await measure());
  } catch (error) {
    log(`${name} failed: ${error.stack ?? error}`);
    entry.failure = String(error.message ?? error).split("\n")[0];
  }
  results.phases[name] = { ...entry, seconds: (Date.now() - begun) / 1000, loadAfter: load() };
}

/** A fresh emulator (moto slows down as executions accumulate), with a Step Functions client straight at it. */
async function withEmulator(use) {
  const mark = running.length;
  const emulator = await startEmulator();
  running.push(emulator.stop);
  ctx.env = { ...process.env, ...emulatorEnv(emulator.endpoint), HOME: work, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  delete ctx.env.XDG_CACHE_HOME;
  try {
    await use(emulator, sfnClient(emulator.endpoint));
  } finally {
    for (const stop of running.splice(mark).reverse()) await stop().catch(() => {});
  }
}

async function proxyFor(emulator, delayMs, throttle) {
  const proxy = await startProxy({ target: emulator.endpoint, delayMs, throttle });
  running.push(proxy.stop);
  return Object.assign(proxy, { delayMs });
}

/** The command line's flags, or a one-line error and exit code 2. */
function parseFlags(options) {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    process.stderr.write(`bench: ${error.message.split("\n")[0]} (usage at the top of scripts/bench.mjs)\n`);
    process.exit(2);
  }
}
