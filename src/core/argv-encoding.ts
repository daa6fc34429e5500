// Node decodes the command line as UTF-8 leniently: a byte that begins no character becomes U+FFFD,
// and `--name $'a\xffb'` would start an execution named `a\ufffdb`. Arguments are refused instead, as
// files are (text-encoding.ts), before anything is sent.
import { UsageError } from "../errors.js";
import { invalidUtf8Offset } from "./text-encoding.js";

/** How an option of the command line is spelled, and whether it takes a value. */
export interface OptionSpelling {
  long?: string;
  short?: string;
  /** True for `--name <value>`: the next argument is its value. */
  takesValue: boolean;
}

/**
 * Refuse an argument that is not valid UTF-8, naming the option it is the value of (or the argument
 * itself), with a {@link UsageError} (exit 2).
 * @param args The arguments after the program's name, as Node decoded them.
 * @param raw The same arguments as the operating system gave them (on Linux, /proc/self/cmdline), or
 *   undefined where they cannot be read: then a U+FFFD in an argument is taken for a replaced byte
 *   (the rare argument that really holds U+FFFD is refused too).
 * @param options The options the command line may hold, to tell an option's value from an argument.
 */
export function checkArgumentEncoding(
  args: readonly string[],
  raw: readonly Uint8Array[] | undefined,
  options: readonly OptionSpelling[],
): void {
  const bytes = raw?.length === args.length ? raw : undefined;
  for (const [i, arg] of args.entries()) {
    const own = bytes?.[i];
    const offset = own
      ? invalidUtf8Offset(own)
      : arg.includes("\ufffd")
        ? Buffer.byteLength(arg.slice(0, arg.indexOf("\ufffd")))
        : undefined;
    if (offset === undefined) continue;
    // A bad byte before `=` is in the option's name: the argument as a whole is named.
    const named = what(args, i, options, offset);
    // The offset counts from the start of the value, as the user wrote it.
    const at = offset - named.valueStart;
    const where = own
      ? `byte 0x${(own[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0")} at offset ${at} does not begin a valid character`
      : `it holds U+FFFD at offset ${at}, which stands for bytes that were not`;
    throw new UsageError(
      `${named.label} is not valid UTF-8: ${where}.`,
      "Arguments are read as UTF-8: pass the text in UTF-8 (check the locale of the terminal or script that sent it).",
    );
  }
}

/**
 * How the error names argument `i`: the option it is the value of, with its text as Node decoded it;
 * `valueStart` is where that value begins in the argument's bytes (after `--name=`).
 */
function what(
  args: readonly string[],
  i: number,
  options: readonly OptionSpelling[],
  offset: number,
): { label: string; valueStart: number } {
  const arg = args[i] as string;
  const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
  const valueStart = equals > 0 ? Buffer.byteLength(arg.slice(0, equals + 1)) : 0;
  if (equals > 0 && offset >= valueStart) return { label: `${arg.slice(0, equals)} ${JSON.stringify(arg.slice(equals + 1))}`, valueStart };
  const previous = i > 0 ? options.find((o) => o.takesValue && (o.long === args[i - 1] || o.short === args[i - 1])) : undefined;
  if (previous) return { label: `${args[i - 1]} ${JSON.stringify(arg)}`, valueStart: 0 };
  return { label: `Argument ${JSON.stringify(arg)}`, valueStart: 0 };
}
