import Table from "cli-table3";
import { duration } from "../lib/durations.js";
import { safeOutput, safeText } from "../lib/safe-text.js";

// Kept here for the renderers that import them from the output layer; the core uses lib/durations.ts.
export { duration, relativeTime } from "../lib/durations.js";

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
