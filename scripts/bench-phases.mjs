// The benchmark's phases. Each takes the run's context and returns rows: a summary of samples
// (see summarize) with a label. Compared commands alternate round by round (see alternate).
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { approveLoop, readLoop, sfnClient, startExecutions, tenThreadLoop, waitingTokens } from "./bench-baselines.mjs";
import { alternate, folderBytes, measureProcess, summarize } from "./bench-run.mjs";

/** Decisions the CLI sends at once (CONCURRENCY in src/settings.ts). */
const CONCURRENCY = 10;

/**
 * @typedef {object} BenchContext
 * @property {string} bin The built CLI.
 * @property {string} work Scratch folder (caches, usage reports).
 * @property {NodeJS.ProcessEnv} env Environment for the CLI, pointing at the emulator.
 * @property {{ n: number, warmN: number, memoryN: number, batch: number, runs: number, sequentialRuns: number, memoryRuns: number }} config
 * @property {(text: string) => void} log
 */

/** Time `action` and attach the calls the proxy counted meanwhile (the proxy is reset first). */
export async function counted(proxy, action) {
  proxy?.reset();
  const sample = await action();
  if (!proxy) return sample;
  const throttled = Object.values(proxy.stats.throttled).reduce((a, b) => a + b, 0);
  return { ...sample, calls: proxy.stats.total, byOperation: { ...proxy.stats.calls }, throttled };
}

/** One `approvals pending --json` run through `endpoint`, its cache under `cacheHome` (a fresh one when omitted). */
export async function pendingRun(ctx, stack, endpoint, cacheHome = mkdtempSync(join(ctx.work, "cold-"))) {
  const env = { ...ctx.env, AWS_ENDPOINT_URL: endpoint, XDG_CACHE_HOME: cacheHome };
  const result = await measureProcess(process.execPath, [ctx.bin, "pending", "--json", "--stack-name", stack], { env, scratch: ctx.work });
  let found;
  try {
    found = JSON.parse(result.stdout).length;
  } catch {}
  const error = result.code ? result.stderr.trim().split("\n")[0] : undefined;
  return {
    ...result,
    stdout: undefined,
    stderr: undefined,
    ok: result.code === 0,
    found,
    error,
    cacheBytes: folderBytes(join(cacheHome, "approvals")),
  };
}

/** Start-up: `--help`, `pending --help` and a warm `pending` (no added delay) against `node -e 0`. */
export async function startupPhase(ctx, proxy0) {
  const cache = join(ctx.work, "warm-0");
  await pendingRun(ctx, "bench", proxy0.endpoint, cache);
  const cli = (args) => () => measureProcess(process.execPath, [ctx.bin, ...args], { env: ctx.env, scratch: ctx.work }).then(asSample);
  const samples = await alternate(
    ctx.config.runs,
    {
      node: () => measureProcess(process.execPath, ["-e", "0"], { env: ctx.env, scratch: ctx.work }).then(asSample),
      help: cli(["--help"]),
      pendingHelp: cli(["pending", "--help"]),
      warm: () => counted(proxy0, () => pendingRun(ctx, "bench", proxy0.endpoint, cache)),
    },
    ctx.log,
  );
  const n = ctx.config.warmN;
  return {
    "startup.node": { label: "`node -e 0`", ...summarize(samples.node) },
    "startup.help": { label: "`approvals --help`", ...summarize(samples.help) },
    "startup.pendingHelp": { label: "`approvals pending --help`", ...summarize(samples.pendingHelp) },
    "startup.warm": { label: "warm `approvals pending --json`, no added delay", n, ...summarize(samples.warm) },
  };
}

/** Warm `pending` with 400 ms added per request against none: how many round trips it waits for. */
export async function warmPhase(ctx, proxy0, proxySlow) {
  const caches = { fast: join(ctx.work, "warm-0"), slow: join(ctx.work, "warm-slow") };
  for (const [cache, proxy] of [
    [caches.fast, proxy0],
    [caches.slow, proxySlow],
  ])
    await pendingRun(ctx, "bench", proxy.endpoint, cache);
  const samples = await alternate(
    ctx.config.runs,
    {
      fast: () => counted(proxy0, () => pendingRun(ctx, "bench", proxy0.endpoint, caches.fast)),
      slow: () => counted(proxySlow, () => pendingRun(ctx, "bench", proxySlow.endpoint, caches.slow)),
    },
    ctx.log,
  );
  const n = ctx.config.warmN;
  return {
    "warm.fast": { label: "warm `pending`, no added delay", n, ...summarize(samples.fast) },
    "warm.slow": { label: `warm \`pending\`, ${proxySlow.delayMs} ms per request`, n, ...summarize(samples.slow) },
  };
}

/** Cold `pending` on the emulator alone (no delay) against the emulator's serial service time for the same reads. */
export async function emulatorPhase(ctx, proxy0, sfnDirect, stateMachineArn) {
  const samples = await alternate(
    ctx.config.runs,
    {
      cold: () => counted(proxy0, () => pendingRun(ctx, "bench", proxy0.endpoint)),
      serial: () => readLoop(sfnDirect, stateMachineArn, 1),
    },
    ctx.log,
  );
  const n = ctx.config.n;
  return {
    "emulator.serial": { label: "emulator's serial service time (sequential loop, no proxy)", n, ...summarize(samples.serial) },
    "emulator.cold": { label: "cold `pending`, no added delay", n, ...summarize(samples.cold) },
  };
}

/** Cold `pending` under the token bucket against the 10-thread and the sequential loop, through the same proxy. */
export async function throttledPhase(ctx, proxyBucket, stateMachineArn) {
  const samples = await alternate(
    ctx.config.runs,
    {
      cold: () => counted(proxyBucket, () => pendingRun(ctx, "bench", proxyBucket.endpoint)),
      ten: () => counted(proxyBucket, () => tenThreadLoop(proxyBucket.endpoint, stateMachineArn, ctx.env)),
      // The slowest row (N round trips one after another) runs in the first rounds only: see --sequential-runs.
      sequential: (round) =>
        round < ctx.config.sequentialRuns
          ? counted(proxyBucket, () => readLoop(sfnClient(proxyBucket.endpoint), stateMachineArn, 1))
          : undefined,
    },
    ctx.log,
  );
  const n = ctx.config.n;
  return {
    "bucket.sequential": { label: "sequential loop (throttled: through the token bucket)", n, ...summarize(samples.sequential) },
    "bucket.ten": { label: `10-thread loop (${ctx.baseline})`, n, ...summarize(samples.ten) },
    "bucket.cold": { label: "cold `pending`", n, ...summarize(samples.cold) },
  };
}

/** Peak memory and cache size of cold `pending` at the memory size (no added delay). */
export async function memoryPhase(ctx, proxy0) {
  const samples = await alternate(
    ctx.config.memoryRuns,
    {
      cold: () => counted(proxy0, () => pendingRun(ctx, "bench", proxy0.endpoint)),
    },
    ctx.log,
  );
  return { "memory.cold": { label: "cold `pending`, no added delay", n: ctx.config.memoryN, ...summarize(samples.cold) } };
}

/**
 * Decisions right after `pending`: each round starts 3 × batch executions, runs `pending`, then
 * approves one third with one `approvals approve … --yes`, one with a SendTaskSuccess loop over their
 * known tokens, and one with the same calls from 10 threads (the emulator's own pace with as many
 * calls in flight as the CLI keeps), in rotating order, all through the same proxy.
 */
export async function approvePhase(ctx, proxy, sfnDirect, stateMachineArn) {
  const { batch, runs } = ctx.config;
  const samples = { cli: [], loop: [], threads: [] };
  const cache = join(ctx.work, "approve-cache");
  const env = { ...ctx.env, AWS_ENDPOINT_URL: proxy.endpoint, XDG_CACHE_HOME: cache };
  for (let round = 0; round < runs; round++) {
    ctx.log(`  round ${round + 1} of ${runs}`);
    const names = (set) => Array.from({ length: batch }, (_, i) => `${set}${round}-${i}`);
    for (const set of ["a", "b", "c"]) await startExecutions(sfnDirect, stateMachineArn, `${set}${round}-`, 0, batch);
    const tokens = await waitingTokens(sfnDirect, stateMachineArn, names("b"));
    const threadTokens = await waitingTokens(sfnDirect, stateMachineArn, names("c"));
    await pendingRun(ctx, "bench-approve", proxy.endpoint, cache);
    const cli = async () => {
      const args = [ctx.bin, "approve", ...names("a"), "--yes", "--json", "--stack-name", "bench-approve"];
      const result = await measureProcess(process.execPath, args, { env, scratch: ctx.work });
      return { ...asSample(result), found: batch };
    };
    const cases = {
      cli: () => counted(proxy, cli),
      loop: () => counted(proxy, () => approveLoop(proxy.endpoint, tokens, ctx.env)),
      threads: () => counted(proxy, () => approveLoop(proxy.endpoint, threadTokens, ctx.env, CONCURRENCY)),
    };
    const order = ["cli", "loop", "threads"];
    for (let i = 0; i < order.length; i++) {
      const key = order[(i + round) % order.length];
      samples[key].push(await cases[key]());
    }
  }
  // Decided executions end within moments; on a busy machine the last round's may still be finishing.
  const expected = 3 * batch * runs;
  let succeeded = await countSucceeded(sfnDirect, stateMachineArn);
  for (const deadline = Date.now() + 15_000; succeeded < expected && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    succeeded = await countSucceeded(sfnDirect, stateMachineArn);
  }
  return {
    "approve.loop": { label: `SendTaskSuccess loop over known tokens (${ctx.baseline})`, n: batch, ...summarize(samples.loop) },
    "approve.threads": {
      label: `the same calls from ${CONCURRENCY} threads (${ctx.baseline}): the emulator's pace with as many in flight as the CLI`,
      n: batch,
      ...summarize(samples.threads),
    },
    "approve.cli": { label: "`approvals approve <names> --yes` right after `pending`", n: batch, ...summarize(samples.cli) },
    "approve.check": { label: "executions ended SUCCEEDED", succeeded, expected },
  };
}

async function countSucceeded(sfn, stateMachineArn) {
  let count = 0;
  let nextToken;
  do {
    const page = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: "SUCCEEDED", maxResults: 1000, nextToken }));
    count += page.executions?.length ?? 0;
    nextToken = page.nextToken;
  } while (nextToken);
  return count;
}

function asSample(result) {
  const error = result.code ? result.stderr.trim().split("\n")[0] : undefined;
  return { ms: result.ms, cpuMs: result.cpuMs, rssKb: result.rssKb, code: result.code, ok: result.code === 0, error };
}
