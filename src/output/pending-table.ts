import { stripVTControlCharacters } from "node:util";
import type { PendingExecution } from "../core/executions/waiting.js";
import { columns, duration, relativeTime, summarizeInput } from "./format.js";
import type { Output } from "./output.js";
import { safeText } from "./safe-text.js";

/** Time left below this is highlighted: ten minutes. */
const SOON_MS = 10 * 60 * 1000;

/** The comment column's widest and narrowest widths; it shrinks to fit the terminal. */
const COMMENT_WIDTH = 60;
const COMMENT_MIN = 16;

/** Options of {@link printPendingTable}. */
export interface PendingTableOptions {
  now: Date;
  /** With `--links`: the Approve and Reject URLs of an execution, printed under its row. */
  links?: (p: PendingExecution) => { approve: string; reject: string };
  /** With `--all-stacks`: the stack of an execution, shown in a first STACK column. */
  stackOf?: (p: PendingExecution) => string;
}

/**
 * The waiting executions as aligned columns (name, started, waiting for, time left, comment) with
 * relative times; time left under ten minutes is highlighted. At a terminal the comment is
 * shortened so a row fits on one line.
 */
export function printPendingTable(out: Output, pending: readonly PendingExecution[], options: PendingTableOptions): void {
  const { style } = out;
  const { now, stackOf } = options;
  const render = (commentWidth: number) =>
    columns(
      [...(stackOf ? ["STACK"] : []), "NAME", "STARTED", "WAITING FOR", "TIME LEFT", "COMMENT"],
      pending.map((p) => {
        const left = p.expiresAt ? p.expiresAt.getTime() - now.getTime() : undefined;
        const leftText = left === undefined ? "no timeout" : left <= 0 ? "expiring" : `${duration(left)} left`;
        return [
          ...(stackOf ? [safeText(stackOf(p))] : []),
          safeText(p.name),
          relativeTime(p.startDate, now),
          duration(now.getTime() - p.waitingSince.getTime()),
          left !== undefined && left < SOON_MS ? style.bold.yellow(leftText) : leftText,
          summarizeInput(p.input, commentWidth),
        ];
      }),
    ).split("\n");
  let table = render(COMMENT_WIDTH);
  const width = out.streams.stdout.isTTY ? out.streams.stdout.columns : undefined;
  const widest = Math.max(...table.map((line) => stripVTControlCharacters(line).length));
  if (width && widest > width) {
    const longest = Math.max(...pending.map((p) => [...summarizeInput(p.input, COMMENT_WIDTH)].length));
    table = render(Math.max(COMMENT_MIN, longest - (widest - width)));
  }

  out.result(style.bold(table[0] ?? ""));
  pending.forEach((p, i) => {
    out.result(table[i + 1]);
    if (!options.links) return;
    const links = options.links(p);
    out.result(`  ${style.green("approve")} ${links.approve}`);
    out.result(`  ${style.red("reject")}  ${links.reject}`);
  });
}
