import type { ChalkInstance } from "chalk";
import type { TimelineEntry } from "../core/executions/timeline.js";
import { safeText } from "../lib/safe-text.js";
import { displayWidth, wrapToWidth } from "./display-width.js";
import { type FitColumn, fitTable, fittedWidths } from "./fit.js";

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
 * (a terminal); in a pipe nothing is cut. The detail of those marked rows (the decision, an error
 * and its cause) is never cut: when it does not fit its column, it continues on lines of its own
 * below the row, from the ELAPSED column, wrapped to the width.
 */
export function drawTimeline(entries: readonly TimelineEntry[], style: ChalkInstance, width?: number): string[] {
  const cut = entries.length > HEAD + TAIL;
  const shown = cut ? [...entries.slice(0, HEAD), ...entries.slice(-TAIL)] : entries;
  const marked = shown.map((e) => /Failed|TimedOut|Aborted/.test(e.type) || e.type === "TaskSucceeded");
  const rows = shown.map((e, i) => {
    const paint = /Failed|TimedOut|Aborted/.test(e.type) ? style.red : e.type === "TaskSucceeded" ? style.green : (s: string) => s;
    return [
      e.timestamp ? e.timestamp.slice(11, 19) : "",
      e.elapsedMs === null ? "" : `+${elapsed(e.elapsedMs)}`,
      { text: e.type, paint },
      e.state ?? "",
      // A marked row's detail is laid out below, once the columns are known.
      width !== undefined && marked[i] ? "" : (e.detail ?? ""),
    ];
  });
  const [head = "", ...body] = fitTable(TIMELINE, rows, width);
  const lines = [style.bold(head)];
  // Where each column starts: the widths before it, each followed by a gap of two.
  const starts = fittedWidths(TIMELINE, rows, width).map((_, i, all) => all.slice(0, i).reduce((sum, w) => sum + w + 2, 0));
  const [belowColumn = 0, detailColumn = 0] = [starts[1], starts[4]];
  for (const [i, line] of body.entries()) {
    if (cut && i === HEAD) lines.push(style.dim(`… ${entries.length - HEAD - TAIL} more events (all of them with --json)`));
    const detail = safeText(shown[i]?.detail ?? "");
    if (width === undefined || !marked[i] || detail === "") lines.push(line);
    else if (detailColumn + displayWidth(detail) <= width) {
      lines.push(`${line}${" ".repeat(Math.max(0, detailColumn - displayWidth(line)))}${detail}`);
    } else {
      lines.push(line);
      for (const part of wrapToWidth(detail, width - belowColumn, "")) lines.push(`${" ".repeat(belowColumn)}${part}`);
    }
  }
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
