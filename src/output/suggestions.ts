import { displayWidth } from "./display-width.js";

/** The width a line of suggestions keeps to: a terminal's classic 80 columns. */
const LINE = 80;

/**
 * A lead-in and the commands it suggests, as lines: one line (`lead a | b`) when it fits in 80
 * columns, else the lead-in alone and each command on a line of its own, indented by two, so that a
 * command with the stack and AWS flags is never wrapped in the middle of a word.
 * @param lead Text before the commands, e.g. `3 waiting. Decide with:`.
 * @param commands Whole commands, as {@link suggestCommand} renders them.
 */
export function suggestionLines(lead: string, commands: readonly string[]): string[] {
  const one = `${lead} ${commands.join(" | ")}`;
  return displayWidth(one) <= LINE ? [one] : [lead, ...commands.map((c) => `  ${c}`)];
}
