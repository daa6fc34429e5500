import type { ChalkInstance } from "chalk";
import type { TimelineEntry } from "../core/executions/timeline.js";
import { type FitColumn, fitTable } from "./fit.js";

/** Events shown before a long history is cut in the middle (all of them are in `--json`). */
const HEAD = 20;
const TAIL = 80;

/** The detail gives way first, then the state name (cut in the middle); times and event types never. */
const TIMELINE: FitColumn[] = [
  { head: "TIME (UTC)" },
  { head: "ELAPSED" },
  { head: "EVENT" },
  { head: "STATE", shrink: { order: 2, min: 12, cut: "middle" } },
  { head: "DETAIL", shrink: { order: 1, min: 12, cut: "end" } },
];

/**
 * The history as aligned lines: clock time (UTC), time since the start, event type, state and
 * detail. Failures are red, the decision received green. Fitted to `width` columns when given
 * (a terminal); in a pipe nothing is cut.
 */
export function drawTimeline(entries: readonly TimelineEntry[], style: ChalkInstance, width?: number): string[] {
  const cut = entries.length > HEAD + TAIL;
  const shown = cut ? [...entries.slice(0, HEAD), ...entries.slice(-TAIL)] : entries;
  const rows = shown.map((e) => {
    const paint = /Failed|TimedOut|Aborted/.test(e.type) ? style.red : e.type === "TaskSucceeded" ? style.green : (s: string) => s;
    return [
      e.timestamp ? e.timestamp.slice(11, 19) : "",
      e.elapsedMs === null ? "" : `+${elapsed(e.elapsedMs)}`,
      { text: e.type, paint },
      e.state ?? "",
      e.detail ?? "",
    ];
  });
  const lines = fitTable(TIMELINE, rows, width);
  lines[0] = style.bold(lines[0] ?? "");
  if (cut) lines.splice(HEAD + 1, 0, style.dim(`… ${entries.length - HEAD - TAIL} more events (all of them with --json)`));
  return lines;
}

/** Time since the start, short: "0.0s", "12s", "3m05s", "1h02m". */
export function elapsed(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
