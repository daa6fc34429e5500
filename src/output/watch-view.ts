import type { Outcome } from "../core/executions/outcome.js";
import type { PendingExecution } from "../core/executions/waiting.js";
import type { WatchSnapshot } from "../core/executions/watch-waiting.js";
import { safeText } from "../lib/safe-text.js";
import { truncateToWidth } from "./display-width.js";
import { summarizeInput } from "./format.js";
import type { LiveRegion, Output } from "./output.js";
import { pendingTableLines } from "./pending-table.js";

/** How long a new arrival keeps its `+` mark at a terminal: a minute, so a glance away does not miss it. */
export const NEW_MARK_MS = 60_000;

/** How an execution that left the list ended, in the words of a `- name ...` line. */
export function endedWords(outcome: Outcome): string {
  switch (outcome.kind) {
    case "failed":
      return outcome.error ? `failed ${safeText(outcome.error)}` : "failed";
    case "timed-out":
      return "timed out";
    case "running":
      return "left the callback state";
    default:
      return outcome.kind;
  }
}

/** How an execution whose stack was deleted while watched left the view. */
const GONE = "gone with its stack";

/**
 * The lines a pipe gets for one snapshot: `+ name  comment` per arrival (every execution at first),
 * `- name outcome` per departure; across stacks the name is `stack/name`, as decisions take it.
 */
export function changeLines(snapshot: WatchSnapshot): string[] {
  const arrived = snapshot.first ? snapshot.pending : snapshot.arrived;
  const named = nameIn(snapshot);
  return [
    ...snapshot.ended.map(({ execution, outcome }) => `- ${named(execution)} ${endedWords(outcome)}`),
    ...(snapshot.gone ?? []).map((p) => `- ${named(p)} ${GONE}`),
    ...[...arrived].reverse().map((p) => `+ ${named(p)}${commentOf(p)}`),
  ];
}

/** An execution's name as the snapshot's view shows it, neutralised: `stack/name` across stacks. */
function nameIn(snapshot: WatchSnapshot): (p: PendingExecution) => string {
  const { stacks } = snapshot;
  return (p) => safeText(stacks ? `${stacks.get(p.executionArn) ?? ""}/${p.name}` : p.name);
}

function commentOf(p: PendingExecution): string {
  const comment = safeText(summarizeInput(p.input));
  return comment ? `  ${comment}` : "";
}

/**
 * The live view at a terminal: lines about executions that ended stay in the scrollback, and below
 * them the table of those waiting (new arrivals marked `+`) with a status line, redrawn in place.
 * Every line fits the terminal's width, so the number of lines drawn is the number to erase. It
 * writes only through the output's {@link LiveRegion}, which neutralises every line it draws.
 */
export class LiveView {
  private snapshot: WatchSnapshot | undefined;
  private readonly arrivedAt = new Map<string, number>();
  private readonly region: LiveRegion;

  constructor(
    private readonly out: Output,
    private readonly intervalMs: number,
    private readonly bell: boolean,
  ) {
    this.region = out.liveRegion();
  }

  /** Take a new snapshot: print how departed executions ended, ring for arrivals, redraw. */
  update(snapshot: WatchSnapshot, now: Date): void {
    this.snapshot = snapshot;
    for (const p of snapshot.arrived) this.arrivedAt.set(p.executionArn, now.getTime());
    const { style } = this.out;
    const lines = snapshot.ended.map(({ execution, outcome }) => {
      const words = endedWords(outcome);
      const paint = outcome.kind === "approved" ? style.green : outcome.kind === "rejected" ? style.yellow : style.red;
      return `${style.dim(snapshot.at.toISOString().slice(11, 19))} ${paint("-")} ${nameIn(snapshot)(execution)} ${paint(words)}`;
    });
    for (const p of snapshot.gone ?? []) {
      lines.push(`${style.dim(snapshot.at.toISOString().slice(11, 19))} ${style.red("-")} ${nameIn(snapshot)(p)} ${style.red(GONE)}`);
    }
    this.redraw(now, lines);
    if (this.bell && snapshot.arrived.length > 0) this.region.bell();
  }

  /** Draw the table again (time left counts down between refreshes), above it any `permanent` lines. */
  redraw(now: Date, permanent: string[] = []): void {
    const { snapshot, out, region } = this;
    if (!snapshot) return;
    const { width, rows } = region;
    for (const [arn, at] of this.arrivedAt) if (now.getTime() - at > NEW_MARK_MS) this.arrivedAt.delete(arn);
    const marked = new Set(this.arrivedAt.keys());
    // A frame taller than the screen could not be erased: show what fits and count the rest. The
    // cursor ends on the line below the frame, and the frame never starts on the top line (erasing
    // from the top-left corner, tmux moves the whole screen into the scrollback, a frame a second):
    // rows - 2 lines, the header, the status line and, when not all fit, `… more` among them.
    const fits = rows - 4;
    const room = Math.max(1, snapshot.pending.length > fits ? fits - 1 : fits);
    const shown = snapshot.pending.slice(0, room);
    const frame =
      snapshot.pending.length === 0
        ? [out.style.dim("No executions are waiting for a decision.")]
        : pendingTableLines(out, shown, { now, width, marked, stackOf: stackColumn(snapshot) });
    if (shown.length < snapshot.pending.length) frame.push(out.style.dim(`… ${snapshot.pending.length - shown.length} more`));
    frame.push(this.statusLine(now, width));
    region.draw(permanent, frame);
  }

  /** `text` neutralised and cut to the terminal's width: a line above the frame that does not wrap. */
  fit(text: string): string {
    const safe = safeText(text);
    return truncateToWidth(safe, this.region.width ?? safe.length);
  }

  private statusLine(now: Date, width: number | undefined): string {
    const { snapshot, out } = this;
    if (!snapshot) return "";
    const next = Math.max(0, Math.ceil((snapshot.at.getTime() + (snapshot.intervalMs ?? this.intervalMs) - now.getTime()) / 1000));
    const failed = snapshot.error ? ` · last refresh failed: ${safeText(snapshot.error.message)}` : "";
    const text = `${snapshot.pending.length} waiting · updated ${snapshot.at.toISOString().slice(11, 19)} UTC · next in ${next} s · Ctrl-C stops${failed}`;
    // A wrapped line would throw the count of lines to erase off.
    const line = truncateToWidth(text, width ?? text.length);
    return snapshot.error ? out.style.yellow(line) : out.style.dim(line);
  }
}

/** Across stacks, the STACK column the non-watch `--all-stacks` table shows; none for one stack. */
function stackColumn(snapshot: WatchSnapshot): ((p: PendingExecution) => string) | undefined {
  const { stacks } = snapshot;
  return stacks ? (p) => stacks.get(p.executionArn) ?? "" : undefined;
}
