import { safeText } from "../lib/safe-text.js";
import { DEFAULT_STACK_NAME } from "../settings.js";

/**
 * What a command the CLI suggests must repeat to act on the same thing as the run that suggests it:
 * the stack and the AWS flags as the user gave them. A `Context` is one.
 */
export interface Scope {
  stackName: string;
  aws: { profile?: string; region?: string; endpointUrl?: string };
}

/** A word the user fills in (`<file>`, `<stack>/<name>`), printed as it is: never quoted. */
export interface Placeholder {
  placeholder: string;
}

/** A command's argument that is not an option (an execution name), from {@link operand}. */
export interface Operand {
  operand: string;
}

/** A word of a suggested command: literal text (quoted for the shell as needed), a placeholder or an operand. */
export type Word = string | Placeholder | Operand;

/** `<name>` in a suggested command. */
export function placeholder(name: string): Placeholder {
  return { placeholder: `<${name}>` };
}

/**
 * An argument of the command that is not an option, such as an execution name: Step Functions allows
 * names such as `--yes` or `--stack-name=prod`, which the command line would read as options, so when
 * one begins with `-` the suggested command puts every operand after `--`.
 */
export function operand(value: string): Operand {
  return { operand: value };
}

/** Words a POSIX shell reads as themselves, unquoted. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote a word for a POSIX shell: as it is when nothing in it is special, else in single quotes. */
export function shellQuote(word: string): string {
  if (PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A command for the user to run that acts on what this run acted on: `approvals` and the words, then
 * --stack-name (unless the default), --profile, --region and --endpoint-url as given, each word quoted
 * for a POSIX shell. Flags the environment supplied are left out: the same shell supplies them again.
 * When an {@link operand} begins with `-`, the options come first and the operands after `--`. A word
 * the terminal would show escaped (a line break, a tab, a control) cannot be copied from it as it is:
 * it is printed as a placeholder (`--cause <cause>`).
 * @param scope The invocation's stack and AWS flags (the Context).
 * @param words The command and its arguments, names given as {@link operand}, e.g. `["approve", operand("ci-038")]`.
 * @param options `stack: false` leaves out --stack-name (for a command whose names say their stack, e.g.
 *   `stack/execution`, or one that reads every stack). Default true.
 */
export function suggestCommand(scope: Scope, words: readonly Word[], options: { stack?: boolean } = {}): string {
  const { profile, region, endpointUrl } = scope.aws;
  const flags: string[] = [];
  if (options.stack !== false && scope.stackName !== DEFAULT_STACK_NAME) flags.push("--stack-name", scope.stackName);
  if (profile !== undefined) flags.push("--profile", profile);
  if (region !== undefined) flags.push("--region", region);
  if (endpointUrl !== undefined) flags.push("--endpoint-url", endpointUrl);
  const operands = words.filter((w): w is Operand => typeof w === "object" && "operand" in w);
  // An operand read as an option would act on something else: options first, then `--` and the operands.
  const ordered = operands.some((w) => w.operand.startsWith("-"))
    ? [...words.filter((w) => !operands.includes(w as Operand)), ...flags, "--", ...operands]
    : [...words, ...flags];
  const rendered = ordered.map((w, i) => {
    if (typeof w === "object" && "placeholder" in w) return w.placeholder;
    const text = typeof w === "string" ? w : w.operand;
    if (safeText(text) === text) return shellQuote(text);
    // A line break, tab or other control is shown escaped on the terminal, so the command as printed
    // would send other text: the word becomes a placeholder to fill in, named after its option.
    const option = typeof w === "string" ? ordered[i - 1] : undefined;
    return typeof option === "string" && option.startsWith("--") ? `<${option.slice(2)}>` : "<name>";
  });
  return ["approvals", ...rendered].join(" ");
}

/** The same scope on another stack: for what a multi-stack run suggests about one of them. */
export function onStack(scope: Scope, stackName: string): Scope {
  return { stackName, aws: scope.aws };
}
