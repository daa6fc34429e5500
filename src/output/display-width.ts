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

/**
 * Text broken into lines of at most `width` columns: at spaces where it can, inside a word only when
 * the word alone is wider than a line. Lines after the first begin with `indent` (counted in the
 * width). Pass text after `safeText`, before colouring.
 */
export function wrapToWidth(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  const room = () => width - (lines.length === 0 ? 0 : displayWidth(indent));
  if (width - displayWidth(indent) < 1 || displayWidth(text) <= width) return [text];
  const push = (line: string) => lines.push(lines.length === 0 ? line : `${indent}${line}`);
  // undefined: nothing on the line yet (a space that broke a line is not carried to the next).
  let current: string | undefined;
  for (const word of text.split(" ")) {
    const joined = current === undefined ? word : `${current} ${word}`;
    if (displayWidth(joined) <= room()) {
      current = joined;
      continue;
    }
    if (current !== undefined) push(current);
    current = word;
    // A word wider than a line is cut between graphemes.
    while (displayWidth(current) > room()) {
      let head = "";
      for (const { segment } of graphemes.segment(current)) {
        if (displayWidth(head + segment) > room()) break;
        head += segment;
      }
      if (head === "") break;
      push(head);
      current = current.slice(head.length);
    }
  }
  if (current !== undefined) push(current);
  return lines;
}
