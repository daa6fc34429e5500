// The types of a command's options as data: what each flag's value is, and which values are always set.

/** One option: commander's flags (`--wait-timeout <seconds>`) and its help line. */
export interface OptionSpec {
  flags: string;
  help: string;
  /** The command refuses to run without it (commander's `requiredOption`). Default false. */
  required?: boolean;
  /** The value when the option is not given, shown in `--help`. Default none. */
  default?: string;
}

/** A command's options, keyed by the name commander gives each value (`--wait-timeout` → `waitTimeout`). */
export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

/** The value commander gives for these flags: `<x>` a string, `[x]` a string or true, `...` a list, no value a boolean. */
export type OptionValue<F extends string> = F extends `${string}<${string}...>`
  ? string[]
  : F extends `${string}[${string}...]`
    ? string[] | true
    : F extends `${string}<${string}>`
      ? string
      : F extends `${string}[${string}]`
        ? string | true
        : boolean;

/** Whether commander always sets the value: a required option, one with a default, or a `--no-x` (true unless given). */
type AlwaysSet<O extends OptionSpec> = O extends { required: true }
  ? true
  : O extends { default: string }
    ? true
    : O["flags"] extends `--no-${string}`
      ? true
      : false;

/** What a handler receives for an option spec: each value typed from its flags, optional unless always set. */
export type OptionsOf<S extends OptionsSpec> = {
  -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? K : never]: OptionValue<S[K]["flags"]>;
} & {
  -readonly [K in keyof S as AlwaysSet<S[K]> extends true ? never : K]?: OptionValue<S[K]["flags"]>;
};
