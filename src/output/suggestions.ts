import { displayWidth } from "./display-width.js";

/** The width a line of suggestions keeps to where the terminal's is not known: the classic 80 columns. */
const LINE = 80;

/**
 * A lead-in and the commands it suggests, as lines: one line (`lead a | b`) when it fits the width,
 * else the lead-in alone and each command on a line of its own, indented by two, so that a command
 * with the stack and AWS flags is never wrapped in the middle of a word; a command wider than the
 * terminal stays whole, so it can be copied.
 * @param lead Text before the commands, e.g. `3 waiting. Decide with:`.
 * @param commands Whole commands, as {@link suggestCommand} renders them.
 * @param width The terminal's width (stderr's: suggestions are printed there); default 80 columns.
 */
export function suggestionLines(lead: string, commands: readonly string[], width: number = LINE): string[] {
  const one = `${lead} ${commands.join(" | ")}`;
  return displayWidth(one) <= width ? [one] : [lead, ...commands.map((c) => `  ${c}`)];
}
