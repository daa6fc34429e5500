/** One option of a command, as completion sees it. */
export interface OptionModel {
  /** Spellings, long first: `--stack-name`, or `--yes` and `-y`. */
  flags: string[];
  description: string;
  /** The value's placeholder (`file`, `name`, ...), or undefined for a flag that takes none. */
  value?: string;
}

/** One command, as completion sees it. */
export interface CommandModel {
  name: string;
  summary: string;
  options: OptionModel[];
  /** The first positional argument's name (`executions`, `shell`, ...), if any. */
  argument?: string;
  /** Whether the positional argument repeats (`[executions...]`). */
  variadic?: boolean;
  /** The values the positional argument accepts, when it is a fixed list. */
  choices?: string[];
}

/** The whole command line's shape: derived from the real program, so completion never drifts from it. */
export interface CompletionModel {
  commands: CommandModel[];
  /** Options before any command (`--help`, `--version`). */
  options: OptionModel[];
}

/** A candidate word and a short description (shown by zsh and fish). */
export interface Candidate {
  value: string;
  description: string;
}

/**
 * What the word under the cursor should be completed with:
 * - `words`: the candidates given, already filtered by the typed prefix;
 * - `files`: file names (left to the shell, which knows quoting and directories);
 * - `executions`: names of waiting executions of the stack `command` works on;
 * - `profiles`: profile names from the shared config files;
 * - `machines`: state machine names remembered by earlier runs (after `--state-machine`).
 */
export type Completion =
  | { kind: "words"; candidates: Candidate[] }
  | { kind: "files" }
  | { kind: "executions"; prefix: string; exclude: string[] }
  | { kind: "profiles"; prefix: string }
  | { kind: "machines"; prefix: string };

const NOTHING: Completion = { kind: "words", candidates: [] };

/** Options whose value names a file on disk. */
const FILE_VALUES = new Set(["file", "path"]);

/**
 * Decide how to complete the last of `words` (the words after `approvals`; the last one is the one
 * being typed, possibly empty). Pure: no disk, no network.
 */
export function completeWords(model: CompletionModel, words: string[]): Completion {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  if (before.length === 0) {
    if (current.startsWith("-")) return matching(optionCandidates(model.options, []), current);
    return matching(
      model.commands.map((c) => ({ value: c.name, description: c.summary })),
      current,
    );
  }
  const command = model.commands.find((c) => c.name === before[0]);
  if (!command) return NOTHING;
  const rest = before.slice(1);
  const previous = rest.at(-1);
  const pendingOption = previous?.startsWith("-") && !previous.includes("=") ? findOption(command, previous) : undefined;
  if (pendingOption?.value !== undefined) return valueCompletion(pendingOption, current);
  if (current.startsWith("-")) return matching(optionCandidates(command.options, rest), current);
  const operands = positionals(command, rest);
  if (!command.argument || (!command.variadic && operands.length > 0)) return NOTHING;
  if (command.choices)
    return matching(
      command.choices.map((value) => ({ value, description: "" })),
      current,
    );
  if (/^executions?$/.test(command.argument)) return { kind: "executions", prefix: current, exclude: operands };
  if (command.argument === "command") {
    return matching(
      model.commands.map((c) => ({ value: c.name, description: c.summary })),
      current,
    );
  }
  return NOTHING;
}

/** The value an option given as `--name value` or `--name=value` has among `words` (the last one wins). */
export function optionValue(words: string[], flag: string): string | undefined {
  let value: string | undefined;
  words.forEach((word, i) => {
    if (word === flag && i + 1 < words.length) value = words[i + 1];
    else if (word.startsWith(`${flag}=`)) value = word.slice(flag.length + 1);
  });
  return value;
}

function valueCompletion(option: OptionModel, current: string): Completion {
  if (option.flags.includes("--profile")) return { kind: "profiles", prefix: current };
  if (option.flags.includes("--state-machine")) return { kind: "machines", prefix: current };
  if (option.value && FILE_VALUES.has(option.value)) return { kind: "files" };
  return NOTHING;
}

function findOption(command: CommandModel, word: string): OptionModel | undefined {
  return command.options.find((o) => o.flags.includes(word));
}

/** Options not given yet (every option here is given at most once), long spellings only. */
function optionCandidates(options: OptionModel[], given: string[]): Candidate[] {
  const used = new Set(given.map((w) => w.split("=")[0]));
  return options
    .filter((o) => !o.flags.some((f) => used.has(f)))
    .map((o) => ({ value: o.flags.find((f) => f.startsWith("--")) ?? o.flags[0] ?? "", description: o.description }));
}

/** The positional words among `rest`: everything that is neither an option nor an option's value. */
function positionals(command: CommandModel, rest: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? "";
    if (word === "--") {
      found.push(...rest.slice(i + 1));
      break;
    }
    if (word.startsWith("-") && word !== "-") {
      if (!word.includes("=") && findOption(command, word)?.value !== undefined) i++;
      continue;
    }
    found.push(word);
  }
  return found;
}

function matching(candidates: Candidate[], prefix: string): Completion {
  return { kind: "words", candidates: candidates.filter((c) => c.value.startsWith(prefix)) };
}
