import type { ChalkInstance } from "chalk";
import type { TimelineEntry } from "../core/executions/timeline.js";
import { columns } from "./format.js";
import { safeText } from "./safe-text.js";

/** Events shown before a long history is cut in the middle (all of them are in `--json`). */
const HEAD = 20;
const TAIL = 80;

/** Longest detail shown on a timeline line. */
const DETAIL_WIDTH = 70;

/**
 * The history as aligned lines: clock time (UTC), time since the start, event type, state and
 * detail. Failures are red, the decision received green.
 */
export function drawTimeline(entries: readonly TimelineEntry[], style: ChalkInstance): string[] {
  const cut = entries.length > HEAD + TAIL;
  const shown = cut ? [...entries.slice(0, HEAD), ...entries.slice(-TAIL)] : entries;
  const rows = shown.map((e) => {
    const paint = /Failed|TimedOut|Aborted/.test(e.type) ? style.red : e.type === "TaskSucceeded" ? style.green : (s: string) => s;
    return [
      e.timestamp ? e.timestamp.slice(11, 19) : "",
      e.elapsedMs === null ? "" : `+${elapsed(e.elapsedMs)}`,
      paint(safeText(e.type)),
      safeText(e.state ?? ""),
      e.detail ? shorten(safeText(e.detail)) : "",
    ];
  });
  const lines = columns(["TIME (UTC)", "ELAPSED", "EVENT", "STATE", "DETAIL"], rows).split("\n");
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

function shorten(text: string): string {
  return text.length > DETAIL_WIDTH ? `${text.slice(0, DETAIL_WIDTH - 1)}…` : text;
}
