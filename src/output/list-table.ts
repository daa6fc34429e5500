import type { ListedExecution } from "../core/executions/list-executions.js";
import type { OutcomeKind } from "../core/executions/outcome.js";
import { outcomeLabel } from "../core/executions/outcome.js";
import { shortDecidedBy } from "../core/workflow/decision-record.js";
import { type FitCell, type FitColumn, fitTable } from "./fit.js";
import { duration, relativeTime, summarizeInput } from "./format.js";
import type { Output } from "./output.js";

/**
 * The comment gives way first, then who decided (its start: a session or user name), then the
 * outcome's error, then the name (keeping both ends).
 */
const LIST_TABLE: FitColumn[] = [
  { head: "NAME", shrink: { order: 4, min: 14, cut: "middle" } },
  { head: "OUTCOME", shrink: { order: 3, min: 9, cut: "end" } },
  { head: "STARTED" },
  { head: "DECIDED" },
  { head: "WAITED" },
  { head: "BY", shrink: { order: 2, min: 8, cut: "end" } },
  { head: "COMMENT", shrink: { order: 1, min: 12, cut: "end" } },
];

/** The executions `list` found as table lines, header first, fitted to the terminal (nothing cut in a pipe). */
export function listTableLines(out: Output, executions: readonly ListedExecution[], now: Date): string[] {
  const { style } = out;
  const paint: Record<OutcomeKind, (t: string) => string> = {
    approved: style.green,
    rejected: style.yellow,
    failed: style.red,
    "timed-out": style.red,
    aborted: style.red,
    waiting: style.cyan,
    running: style.cyan,
    succeeded: (t) => t,
  };
  const rows = executions.map((e): FitCell[] => {
    const since = e.waitingSince ? new Date(e.waitingSince) : undefined;
    const until = e.decidedAt ? new Date(e.decidedAt) : e.status === "RUNNING" ? now : undefined;
    return [
      e.name,
      { text: outcomeLabel({ kind: e.outcome, error: e.error ?? undefined }), paint: paint[e.outcome] },
      relativeTime(new Date(e.startDate), now),
      e.decidedAt ? relativeTime(new Date(e.decidedAt), now) : "-",
      since && until ? duration(until.getTime() - since.getTime()) : "-",
      e.decidedBy !== null ? shortDecidedBy(e.decidedBy) : "-",
      summarizeInput(e.input ?? undefined),
    ];
  });
  const lines = fitTable(LIST_TABLE, rows, out.width);
  lines[0] = style.bold(lines[0] ?? "");
  return lines;
}
