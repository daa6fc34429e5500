// The benchmark's measuring tools: run a child process with its wall time, CPU time and peak
// memory; alternate compared commands round by round; summarise samples as min/median/max.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/**
 * Run `command args` and measure it: wall time (ms), CPU time (ms, user + system) and the peak resident
 * memory of the child itself (KiB), with GNU time when installed, else a preload that reports
 * `process.resourceUsage()` (Node commands only).
 * @param {string} command
 * @param {string[]} args
 * @param {{ env: NodeJS.ProcessEnv, scratch: string, input?: string }} options `scratch` holds the report file.
 */
export async function measureProcess(command, args, { env, scratch, input }) {
  const report = join(scratch, `usage-${process.hrtime.bigint()}`);
  const node = command === process.execPath;
  const [file, argv] = TIME
    ? [TIME, ["-f", "%U %S %M", "-o", report, command, ...args]]
    : [command, node ? ["--import", usageHook(report), ...args] : args];
  const begun = performance.now();
  const result = await run(file, argv, env, input);
  const ms = performance.now() - begun;
  const usage = existsSync(report) ? readFileSync(report, "utf8").trim().split("\n").at(-1).split(" ").map(Number) : [];
  const [user, system, rssKb] = usage.length === 3 ? usage : [Number.NaN, Number.NaN, usage[0]];
  return {
    ...result,
    ms,
    cpuMs: Number.isFinite(user + system) ? (user + system) * 1000 : undefined,
    rssKb: Number.isFinite(rssKb) ? rssKb : undefined,
  };
}

/** Without GNU time: a preload that writes the Node process's own peak RSS (KiB) when it exits. */
function usageHook(file) {
  const code = `process.on("exit",()=>require("node:fs").writeFileSync(${JSON.stringify(file)},String(process.resourceUsage().maxRSS)))`;
  return `data:text/javascript,${encodeURIComponent(`import{createRequire}from"node:module";const require=createRequire(import.meta.url);${code}`)}`;
}

/** Spawn a process, collect its output; resolves with the exit code (never rejects on a non-zero exit). */
export function run(command, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
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
    if (input !== undefined) child.stdin.end(input);
  });
}

/**
 * Run each case `runs` times, round by round, rotating which case goes first, so that compared
 * commands alternate pairwise (A B, B A, A B …) and share whatever the machine was doing.
 * @param {number} runs
 * @param {Record<string, (round: number) => Promise<object | undefined>>} cases Each returns one sample
 *   (with `ms`), or undefined to sit the round out.
 * @param {(text: string) => void} [log] Told of each round as it begins.
 * @returns {Promise<Record<string, object[]>>} The samples of each case, in run order.
 */
export async function alternate(runs, cases, log) {
  const keys = Object.keys(cases);
  const samples = Object.fromEntries(keys.map((key) => [key, []]));
  for (let round = 0; round < runs; round++) {
    log?.(`  round ${round + 1} of ${runs}`);
    const order = keys.map((_, i) => keys[(i + round) % keys.length]);
    for (const key of order) {
      const sample = await cases[key](round);
      if (sample) samples[key].push(sample);
    }
  }
  return samples;
}

/**
 * min/median/max of the wall times, the median and maximum of the call counts, the peak memory,
 * and whether every run succeeded.
 * @param {object[]} samples
 */
export function summarize(samples) {
  const pick = (key) => samples.map((s) => s[key]).filter((v) => typeof v === "number" && Number.isFinite(v));
  const stat = (key, f) => (pick(key).length ? f(pick(key)) : undefined);
  const max = (v) => Math.max(...v);
  return {
    runs: samples.length,
    ms: { min: stat("ms", (v) => Math.min(...v)), median: stat("ms", median), max: stat("ms", max) },
    cpuMs: stat("cpuMs", median),
    calls: stat("calls", median),
    callsMax: stat("calls", max),
    throttled: stat("throttled", max),
    rssKb: stat("rssKb", max),
    cacheBytes: stat("cacheBytes", median),
    found: stat("found", median),
    byOperation: samples.at(-1)?.byOperation,
    ok: samples.length > 0 && samples.every((s) => s.ok),
    errors: [...new Set(samples.filter((s) => !s.ok).map((s) => s.error ?? `exit ${s.code}`))].slice(0, 3),
  };
}

/** The middle value (mean of the two middle values for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Total size in bytes of the files under `dir` (0 when it does not exist). */
export function folderBytes(dir) {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    bytes += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return bytes;
}
