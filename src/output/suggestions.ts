import { displayWidth } from "./display-width.js";

/** The width a line of suggestions keeps to where the terminal's is not known: the classic 80 columns. */
const LINE = 80;

/**
 * A lead-in and the commands it suggests, as lines: one line (`lead a | b`) when it fits the width,
 * else the lead-in alone and each command below it, indented by two. A command still wider than the
 * width goes on over lines ending in ` \`, broken only between shell words (an option with its value), so
 * that it pastes into a shell as one command; a single word wider than the terminal stays whole.
 * @param lead Text before the commands, e.g. `3 waiting. Decide with:`.
 * @param commands Whole commands, as {@link suggestCommand} renders them (POSIX-quoted words).
 * @param width The terminal's width (stderr's: suggestions are printed there); default 80 columns.
 */
export function suggestionLines(lead: string, commands: readonly string[], width: number = LINE): string[] {
  const one = `${lead} ${commands.join(" | ")}`;
  if (displayWidth(one) <= width) return [one];
  return [lead, ...commands.flatMap((c) => continued(c, width))];
}

/** One command indented by two, over as many lines as it needs, each but the last ending in ` \`. */
function continued(command: string, width: number): string[] {
  const lines: string[] = [];
  let line = "  ";
  for (const word of optionsWithValues(shellWords(command))) {
    const first = line.trim() === "";
    if (!first && displayWidth(`${line} ${word} \\`) > width) {
      lines.push(`${line} \\`);
      line = `    ${word}`;
    } else {
      line = first ? `${line}${word}` : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

/** An option and the value after it kept on one line (`--stack-name X`), so each reads as a pair. */
function optionsWithValues(words: string[]): string[] {
  const units: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const next = words[i + 1];
    if (word.startsWith("--") && next !== undefined && !next.startsWith("--") && next !== "|") {
      units.push(`${word} ${next}`);
      i++;
    } else units.push(word);
  }
  return units;
}

/** The words of a command as a POSIX shell splits it: spaces inside single or double quotes do not split. */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  for (const char of command) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === " ") {
      if (word) words.push(word);
      word = "";
      continue;
    }
    word += char;
  }
  if (word) words.push(word);
  return words;
}
