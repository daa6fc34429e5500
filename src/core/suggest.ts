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

/** A word of a suggested command: literal text (quoted for the shell as needed) or a placeholder. */
export type Word = string | Placeholder;

/** `<name>` in a suggested command. */
export function placeholder(name: string): Placeholder {
  return { placeholder: `<${name}>` };
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
 * @param scope The invocation's stack and AWS flags (the Context).
 * @param words The command and its arguments, e.g. `["approve", "ci-038"]`.
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
  const rendered = [...words, ...flags].map((w) => (typeof w === "string" ? shellQuote(w) : w.placeholder));
  return ["approvals", ...rendered].join(" ");
}

/** The same scope on another stack: for what a multi-stack run suggests about one of them. */
export function onStack(scope: Scope, stackName: string): Scope {
  return { stackName, aws: scope.aws };
}
