import { safeText } from "../lib/safe-text.js";
import { displayWidth, truncateToWidth } from "./display-width.js";

/** Space between columns. */
const GAP = "  ";

/** One column of a {@link fitTable}. */
export interface FitColumn {
  head: string;
  /**
   * How the column gives way when the table is wider than the terminal; a column without it never
   * shrinks. Columns shrink in ascending `order`, each down to `min` columns of text, before the next.
   */
  shrink?: {
    order: number;
    /** Narrowest width, in terminal columns. */
    min: number;
    /** `end` keeps the start (a comment); `middle` keeps both ends (a name whose suffix tells it apart). */
    cut: "end" | "middle";
  };
}

/** A cell: untrusted text, shown through {@link safeText}, and an optional style applied after fitting. */
export type FitCell = string | { text: string; paint?: (text: string) => string };

/**
 * Lay rows out as aligned columns that fit `width` terminal columns: when the natural table is
 * wider, the shrinkable columns give way in their order, each to its minimum, then (when that is
 * still too wide) down to one column each in the same order. Text is cut at grapheme boundaries and
 * measured as displayed (wide characters count two). Without `width` (a pipe) nothing is cut.
 * Every cell goes through {@link safeText} first, so widths are those of what is printed.
 * Returns the header line, then one line per row, without trailing spaces.
 */
export function fitTable(table: readonly FitColumn[], rows: readonly (readonly FitCell[])[], width?: number): string[] {
  const cells = rows.map((row) => table.map((_, i) => toCell(row[i])));
  const widths = fittedWidths(table, rows, width);
  const line = (texts: { text: string; paint?: (t: string) => string }[]) =>
    texts
      .map((cell, i) => {
        const column = table[i] as FitColumn;
        const w = widths[i] ?? 0;
        const fitted = cut(cell.text, w, column.shrink?.cut ?? "end");
        const padding = i === texts.length - 1 ? "" : " ".repeat(Math.max(0, w - displayWidth(fitted)));
        return (cell.paint ? cell.paint(fitted) : fitted) + padding;
      })
      .join(GAP)
      .trimEnd();
  return [line(table.map((c) => ({ text: c.head }))), ...cells.map(line)];
}

/** The width of each column as {@link fitTable} lays them out; a column starts after the ones before and a gap of two. */
export function fittedWidths(table: readonly FitColumn[], rows: readonly (readonly FitCell[])[], width?: number): number[] {
  const cells = rows.map((row) => table.map((_, i) => toCell(row[i])));
  const widths = table.map((column, i) => Math.max(displayWidth(column.head), ...cells.map((row) => displayWidth(row[i]?.text ?? ""))));
  if (width !== undefined) shrinkToFit(table, widths, width);
  return widths;
}

/** The widths shrunk in place, in the columns' order, until they fit `width` (or cannot shrink further). */
export function shrinkToFit(table: readonly FitColumn[], widths: number[], width: number): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, widths.length - 1);
  const order = table
    .map((column, i) => ({ i, shrink: column.shrink }))
    .filter((c) => c.shrink !== undefined)
    .sort((a, b) => (a.shrink?.order ?? 0) - (b.shrink?.order ?? 0));
  for (const floor of [(min: number) => min, () => 1]) {
    for (const { i, shrink } of order) {
      const excess = total() - width;
      if (excess <= 0) return;
      const current = widths[i] ?? 0;
      widths[i] = Math.max(Math.min(current, floor(shrink?.min ?? 1)), current - excess);
    }
  }
}

/** Text cut to `width` columns: at the end, or in the middle keeping both ends. */
export function cut(text: string, width: number, where: "end" | "middle"): string {
  if (displayWidth(text) <= width) return text;
  if (where === "end" || width < 5) return truncateToWidth(text, width);
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)].map((s) => s.segment);
  const room = width - 1;
  const tailRoom = Math.floor(room / 2);
  let tail = "";
  let tailWidth = 0;
  for (let i = graphemes.length - 1; i >= 0; i--) {
    const g = graphemes[i] as string;
    if (tailWidth + displayWidth(g) > tailRoom) break;
    tail = g + tail;
    tailWidth += displayWidth(g);
  }
  let head = "";
  let headWidth = 0;
  for (const g of graphemes) {
    if (headWidth + displayWidth(g) > room - tailWidth) break;
    head += g;
    headWidth += displayWidth(g);
  }
  return `${head}…${tail}`;
}

function toCell(cell: FitCell | undefined): { text: string; paint?: (t: string) => string } {
  if (cell === undefined) return { text: "" };
  if (typeof cell === "string") return { text: safeText(cell) };
  return { text: safeText(cell.text), paint: cell.paint };
}
