// The benchmark's Markdown report: the machine and its load, one row per measurement
// (min/median/max of its runs), each target with its measured value and verdict, and what
// the emulator cannot show, with the measured reason.
import { spawnSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { emulatorLimits, targets } from "./bench-targets.mjs";

/** What the numbers were measured on. */
export async function machine() {
  const moto = spawnSync(process.env.MOTO_PYTHON ?? "python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" });
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    nproc: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    moto: moto.stdout.trim() || "unknown",
    loadAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

const ms = (v) =>
  v === undefined ? "–" : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
const mb = (kb) => (kb ? `${((kb * 1024) / 1e6).toFixed(0)} MB` : "–");
const calls = (r) => (r.calls === undefined ? "–" : r.callsMax !== r.calls ? `${r.calls} (max ${r.callsMax})` : `${r.calls}`);

/** The whole report as Markdown. */
export function renderMarkdown(results) {
  const { machine: m, config: c } = results;
  const lines = [
    `Measured ${m.date.slice(0, 16).replace("T", " ")} UTC on ${m.cpu}, nproc ${m.nproc}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, moto ${m.moto}.`,
    `Load average (1, 5, 15 min): ${m.loadAtStart.join(" ")} at the start, ${(results.loadAtEnd ?? []).join(" ")} at the end.`,
    `${c.quick ? "**Quick run** (small sizes, few runs: for development, not for conclusions). " : ""}` +
      `${c.runs} runs per row (sequential loop: ${c.sequentialRuns}, memory: ${c.memoryRuns}), compared commands alternated round by round; ` +
      `proxy round trip ${c.delayMs} ms; token bucket for GetExecutionHistory ${c.bucket.burst} / ${c.bucket.perSecond} per s; ` +
      `baselines: ${c.baseline}. Baseline loops are timed from their first request (interpreter start-up excluded); ` +
      "`approvals` rows include Node's start-up.",
  ];
  if (results.failure) lines.push("", `**The run stopped early:** ${results.failure}`);
  lines.push(
    "",
    "| measurement | N | runs | min | median | max | requests | throttled | peak RSS |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const [id, r] of Object.entries(results.rows)) {
    if (r.ms === undefined) continue;
    const label = `${groupOf(id, c)}: ${r.label}${r.ok ? "" : ` — **failed** (${r.errors.join("; ") || "no answer"})`}`;
    lines.push(
      `| ${label} | ${r.n ?? ""} | ${r.runs} | ${ms(r.ms.min)} | ${ms(r.ms.median)} | ${ms(r.ms.max)} | ${calls(r)} | ${r.throttled ?? "–"} | ${mb(r.rssKb)} |`,
    );
    if (id === "bucket.cold") {
      const floorMs = (Math.max(0, c.n - c.bucket.burst) / c.bucket.perSecond) * 1000;
      const label = `${groupOf(id, c)}: quota floor, (N − ${c.bucket.burst}) / ${c.bucket.perSecond} per s, computed`;
      lines.push(`| ${label} | ${c.n} | | | ${ms(floorMs)} | | | | |`);
    }
  }
  const check = results.rows["approve.check"];
  if (check) lines.push("", `${check.succeeded} of ${check.expected} approved executions ended SUCCEEDED.`);
  lines.push("", "| target | measured | verdict |", "|---|---|---|");
  for (const t of targets(results)) lines.push(`| ${t.target} | ${t.measured} | ${verdict(t.met)} |`);
  const limits = emulatorLimits(results);
  if (limits.length) lines.push("", "What the emulator cannot show:", "", ...limits.map((l) => `- ${l}`));
  lines.push("", "| phase | time | load before | load after |", "|---|---:|---|---|");
  for (const [name, p] of Object.entries(results.phases))
    lines.push(
      `| ${name}${p.failure ? ` (failed: ${p.failure})` : ""} | ${p.seconds.toFixed(0)} s | ${p.loadBefore.join(" ")} | ${p.loadAfter.join(" ")} |`,
    );
  return `${lines.join("\n")}\n`;
}

function verdict(met) {
  if (met === undefined) return "not measured";
  return met ? "met" : "**not met**";
}

function groupOf(id, c) {
  const group = id.split(".")[0];
  return {
    startup: "start-up",
    warm: "warm",
    emulator: "emulator alone",
    bucket: `${c.delayMs} ms + bucket`,
    memory: "memory",
    approve: `${c.delayMs} ms`,
  }[group];
}
