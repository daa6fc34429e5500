// Column widths for text on a terminal. Kept apart from safe-text.ts: string-width's tables take
// a noticeable part of start-up, and only commands that draw columns need them.
import stringWidth from "string-width";

/**
 * Columns the text takes on a terminal: wide (CJK) characters and emoji count two, combining marks and
 * zero-width joiners none, colour codes none. Measure text after `safeText`, so an escape counts as
 * the characters it is shown as.
 */
export function displayWidth(text: string): number {
  return stringWidth(text);
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Shorten text to at most `width` columns, ending with `…` when it was cut. Cuts between grapheme
 * clusters, so an emoji, a flag or a letter with its accents is never split. Pass text after
 * `safeText`: raw escape sequences would be miscounted.
 */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width < 1) return "";
  let kept = "";
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (used + w > width - 1) break;
    kept += segment;
    used += w;
  }
  return `${kept}…`;
}
