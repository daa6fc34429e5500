import type { PendingExecution } from "../core/executions/waiting.js";
import { type FitCell, type FitColumn, fitTable } from "./fit.js";
import { duration, relativeTime, summarizeInput } from "./format.js";
import type { Output } from "./output.js";

/** Time left below this is highlighted: ten minutes. */
const SOON_MS = 10 * 60 * 1000;

/** Options of {@link printPendingTable}. */
export interface PendingTableOptions {
  now: Date;
  /** With `--links`: the Approve and Reject URLs of an execution, printed under its row. */
  links?: (p: PendingExecution) => { approve: string; reject: string };
  /** With `--all-stacks`: the stack of an execution, shown in a first STACK column. */
  stackOf?: (p: PendingExecution) => string;
}

/** Options of {@link pendingTableLines}. */
export interface PendingLinesOptions {
  now: Date;
  /** Terminal columns to fit; undefined (a pipe) cuts nothing. */
  width: number | undefined;
  /** ARNs of executions to mark as new with a `+` column (`pending --watch`); default no column. */
  marked?: ReadonlySet<string>;
  /** With `--all-stacks`: the stack of an execution, in a first STACK column; default no column. */
  stackOf?: (p: PendingExecution) => string;
}

/** Shrink order: the comment gives way first, then the name, cut in the middle so both ends stay. */
const NAME: FitColumn = { head: "NAME", shrink: { order: 2, min: 14, cut: "middle" } };
const COMMENT: FitColumn = { head: "COMMENT", shrink: { order: 1, min: 12, cut: "end" } };
const TIMES: FitColumn[] = [{ head: "STARTED" }, { head: "WAITING FOR" }, { head: "TIME LEFT" }];
/** A stack name gives way last, keeping both ends like the name. */
const STACK: FitColumn = { head: "STACK", shrink: { order: 3, min: 12, cut: "middle" } };

/** What the TIME LEFT column says: "47 min left", "expiring" or "no timeout". */
export function timeLeft(p: Pick<PendingExecution, "expiresAt">, now: Date): { text: string; soon: boolean } {
  const left = p.expiresAt ? p.expiresAt.getTime() - now.getTime() : undefined;
  if (left === undefined) return { text: "no timeout", soon: false };
  return { text: left <= 0 ? "expiring" : `${duration(left)} left`, soon: left < SOON_MS };
}

/**
 * The waiting executions as table lines, header first (name, started, waiting for, time left,
 * comment), fitted to `width`. Time left under ten minutes is highlighted.
 */
export function pendingTableLines(out: Output, pending: readonly PendingExecution[], options: PendingLinesOptions): string[] {
  const { style } = out;
  const { now, marked, stackOf } = options;
  const mark: FitColumn[] = marked ? [{ head: " " }] : [];
  const stack: FitColumn[] = stackOf ? [STACK] : [];
  const rows = pending.map((p): FitCell[] => {
    const left = timeLeft(p, now);
    return [
      ...(marked ? [{ text: marked.has(p.executionArn) ? "+" : " ", paint: style.green }] : []),
      ...(stackOf ? [stackOf(p)] : []),
      p.name,
      relativeTime(p.startDate, now),
      duration(now.getTime() - p.waitingSince.getTime()),
      { text: left.text, paint: left.soon ? style.bold.yellow : undefined },
      summarizeInput(p.input),
    ];
  });
  const lines = fitTable([...mark, ...stack, NAME, ...TIMES, COMMENT], rows, options.width);
  lines[0] = style.bold(lines[0] ?? "");
  return lines;
}

/**
 * The waiting executions as aligned columns with relative times. At a terminal every row fits its
 * width (the comment shrinks first, then the name); in a pipe nothing is cut.
 */
export function printPendingTable(out: Output, pending: readonly PendingExecution[], options: PendingTableOptions): void {
  const { style } = out;
  const lines = pendingTableLines(out, pending, {
    now: options.now,
    width: out.width,
    stackOf: options.stackOf,
  });
  out.result(lines[0]);
  pending.forEach((p, i) => {
    out.result(lines[i + 1]);
    if (!options.links) return;
    const links = options.links(p);
    out.result(`  ${style.green("approve")} ${links.approve}`);
    out.result(`  ${style.red("reject")}  ${links.reject}`);
  });
}
