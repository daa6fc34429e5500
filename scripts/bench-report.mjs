// The benchmark's machine description and its Markdown report, with each target of the
// performance requirements checked against the measurements.
import { spawnSync } from "node:child_process";
import { cpus, loadavg, release, totalmem, type } from "node:os";

/** What the numbers were measured on. */
export async function machine() {
  const moto = spawnSync(process.env.MOTO_PYTHON ?? "python3", ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" });
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    moto: moto.stdout.trim() || "unknown",
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const mib = (kb) => (kb ? `${Math.round(kb / 1024)} MiB` : "n/a");
const met = (ok) => (ok ? "met" : "**not met**");

/** The report: machine, one row per measurement, then each target with its verdict. */
export function renderMarkdown(results) {
  const m = results.machine;
  const lines = [
    `Measured ${m.date.slice(0, 10)} on ${m.cpus} × ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, moto ${m.moto}`,
    `(load average at start ${m.loadAverageAtStart.join(" ")}); proxy round trip ${results.delayMs} ms.`,
    "",
    "| pending | N | wall time | API calls | history reads | peak RSS | found |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  const row = (label, n, r) =>
    `| ${label} | ${n} | ${s(r.ms)} | ${r.calls} | ${r.byOperation.GetExecutionHistory ?? 0} | ${mib(r.maxRssKb)} | ${r.ok ? r.found : `failed (${r.code})`} |`;
  for (const p of results.pending) {
    lines.push(row("sequential SDK loop", p.n, p.sequential));
    if (p.emulatorFloor) lines.push(row("emulator alone, 10 at a time, no proxy", p.n, p.emulatorFloor));
    lines.push(row("cold (empty cache)", p.n, p.cold));
    lines.push(row("warm", p.n, p.warm));
    lines.push(row(`warm, ${p.warmNew.newExecutions} new`, p.n + p.warmNew.newExecutions, p.warmNew));
    lines.push(row("--no-cache", p.n + p.warmNew.newExecutions, p.noCache));
    if (p.throttled) {
      lines.push(row("throttled, cold", p.throttled.n, p.throttled.cold));
      lines.push(row("throttled, warm", p.throttled.n, p.throttled.warm));
    }
  }
  const a = results.approve;
  if (a) {
    lines.push("", `| approve ${a.size} executions | wall time | API calls | peak RSS |`, "|---|---:|---:|---:|");
    lines.push(`| one \`approvals approve a b c … --yes\` | ${s(a.batch.ms)} | ${a.batch.calls} | ${mib(a.batch.maxRssKb)} |`);
    lines.push(`| ${a.size} separate \`approvals approve X --yes\` runs | ${s(a.oneByOne.ms)} | ${a.oneByOne.calls} | |`);
    lines.push(`| sequential SDK loop (history read + SendTaskSuccess) | ${s(a.sdkLoop.ms)} | ${a.sdkLoop.calls} | |`);
    lines.push("", `${a.succeeded} of ${a.expectedSucceeded} executions ended SUCCEEDED.`);
  }
  const st = results.startup;
  lines.push("", "| start-up (median) | wall time | CPU time |", "|---|---:|---:|");
  for (const [label, r] of Object.entries(st)) lines.push(`| \`${label}\` | ${r.medianMs} ms | ${r.cpuMs ?? "n/a"} ms |`);
  lines.push("", "| target | measured | verdict |", "|---|---|---|");
  for (const [target, measured, ok] of targets(results))
    lines.push(`| ${target} | ${measured} | ${ok === undefined ? "not measured" : met(ok)} |`);
  return `${lines.join("\n")}\n`;
}

/** Each target of the requirements: [what, measured, met?]. */
export function targets(results) {
  const out = [];
  const pages = (n) => Math.max(1, Math.ceil(n / 1000));
  for (const p of results.pending) {
    const ratio = p.cold.ms / p.sequential.ms;
    if (p.n >= 1000) out.push([`cold pending ≤ 0.1× sequential loop (N=${p.n})`, `${ratio.toFixed(3)}×`, p.cold.ok && ratio <= 0.1]);
    const warmAllowed = 2 + pages(p.n);
    out.push([
      `warm pending ≤ ${warmAllowed} calls (N=${p.n})`,
      `${p.warm.calls} calls, ${p.warm.byOperation.GetExecutionHistory ?? 0} history reads`,
      p.warm.ok && p.warm.calls <= warmAllowed,
    ]);
    const n2 = p.n + p.warmNew.newExecutions;
    const newAllowed = 2 + pages(n2) + p.warmNew.newExecutions;
    out.push([
      `warm pending ≤ ${newAllowed} calls with ${p.warmNew.newExecutions} new (N=${n2})`,
      `${p.warmNew.calls} calls`,
      p.warmNew.ok && p.warmNew.calls <= newAllowed,
    ]);
    if (p.throttled?.floorSeconds > 0) {
      const t = p.throttled;
      const limit = t.floorSeconds * 1.1;
      const ok = t.cold.ok && t.cold.found === t.n && t.cold.ms / 1000 <= limit;
      out.push([
        `throttled cold pending ≤ 1.1× quota floor ${t.floorSeconds.toFixed(1)} s, no failed call (N=${t.n})`,
        `${s(t.cold.ms)}, ${t.cold.throttled} throttled answers, exit ${t.cold.code ?? 0}`,
        ok,
      ]);
    }
  }
  const a = results.approve;
  if (a) {
    const ratio = a.batch.ms / a.oneByOne.ms;
    out.push([`batch approve of ${a.size} ≤ 0.1× one by one (separate CLI runs)`, `${ratio.toFixed(3)}×`, a.batch.ok && ratio <= 0.1]);
  }
  const st = results.startup;
  const ratio = st["approvals --version"].medianMs / st["node -e 0"].medianMs;
  out.push(["`approvals --version` ≤ 1.5× `node -e 0` (wall time)", `${ratio.toFixed(2)}×`, ratio <= 1.5]);
  const help = st["approvals --help"].medianMs / st["node -e 0"].medianMs;
  out.push(["`approvals --help` ≤ 1.5× `node -e 0` (wall time; not a stated target)", `${help.toFixed(2)}×`, help <= 1.5]);
  return out;
}
