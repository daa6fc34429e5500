import Table from "cli-table3";
import { safeOutput, safeText } from "./safe-text.js";

const relative = new Intl.RelativeTimeFormat("en", { numeric: "always", style: "short" });

/** A duration from now in words: "12 min ago", "in 47 min". */
export function relativeTime(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  // One rounding rule for past and future: the magnitude is rounded, then the sign applied (Math.round
  // alone rounds -1.5 up to -1 but 1.5 up to 2, so "started 1 min ago" sat beside "waiting 2 min").
  const sign = ms < 0 ? -1 : 1;
  const abs = Math.round(Math.abs(ms) / 1000);
  const minutes = Math.round(abs / 60);
  const hours = Math.round(abs / 3600);
  let text: string;
  // The unit is chosen after rounding, so 59 min 50 s reads "1 hr", not "60 min".
  if (abs < 60) text = relative.format(sign * abs, "second");
  else if (minutes < 60) text = relative.format(sign * minutes, "minute");
  else if (hours < 24) text = relative.format(sign * hours, "hour");
  else text = relative.format(sign * Math.round(abs / 86400), "day");
  // "12 min. ago" reads better without the abbreviation dots.
  return text.replace(/\./g, "");
}

/** A duration in words without direction: "47 min", "2 hr". */
export function duration(ms: number): string {
  return relativeTime(new Date(Math.abs(ms)), new Date(0)).replace(/^in /, "");
}

/** How long until an execution's timeouts end it: "47 min left" ("0 sec left" once past). */
export function leftUntil(expiresAt: Date, now: Date): string {
  return `${duration(Math.max(0, expiresAt.getTime() - now.getTime()))} left`;
}

/**
 * Rows as aligned columns without borders, header first. Each cell is neutralised (controls and line
 * breaks become visible escapes, a style's colour stays) before the widths are measured; pass untrusted
 * text through `safeText` before colouring it, so its own colour codes are escaped too.
 */
export function columns(head: string[], rows: string[][]): string {
  const table = new Table({
    head,
    chars: {
      top: "",
      "top-mid": "",
      "top-left": "",
      "top-right": "",
      bottom: "",
      "bottom-mid": "",
      "bottom-left": "",
      "bottom-right": "",
      left: "",
      "left-mid": "",
      mid: "",
      "mid-mid": "",
      right: "",
      "right-mid": "",
      middle: "  ",
    },
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
  });
  table.push(...rows.map((row) => row.map((cell) => safeOutput(cell, { colour: true, lines: false }))));
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n");
}

/** A one-line summary of execution input, safe for a terminal: its Comment, or its JSON; shortened only when `width` is given. */
export function summarizeInput(input: string | undefined, width = Number.POSITIVE_INFINITY): string {
  if (!input) return "";
  let text = input;
  try {
    const value = JSON.parse(input);
    text = typeof value?.Comment === "string" ? value.Comment : JSON.stringify(value);
  } catch {}
  // Counted in code points, so an emoji is never cut in half.
  const chars = [...safeText(text.replace(/\s+/g, " "))];
  return chars.length > width ? `${chars.slice(0, width - 1).join("")}…` : chars.join("");
}
