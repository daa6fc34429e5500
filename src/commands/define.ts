// A command's options as data: the flags commander reads, the help line it prints, and the type the
// handler receives, inferred from the flags so that no handler keeps its own copy of them.
import { Argument, type Command, Option } from "commander";
import type { Handler } from "./context.js";
import type { OptionsOf, OptionsSpec } from "./option-types.js";

/** The handler's arguments for commander's argument syntax: `<x>`, `[x]`, `<x...>`, `[x...]` or none. */
export type ArgsOf<A> = A extends `${"<" | "["}${string}...${">" | "]"}`
  ? [string[]]
  : A extends `<${string}>`
    ? [string]
    : A extends `[${string}]`
      ? [string | undefined]
      : [];

/** What `--help` shows for a command and what it accepts. */
export interface CommandSpec<A extends string | undefined = string | undefined, S extends OptionsSpec = OptionsSpec> {
  name: string;
  /** Positional arguments in commander syntax, e.g. `[executions...]`. Default none. */
  args?: A;
  /** The arguments' help line. Default: "Execution name or ARN". */
  argsHelp?: string;
  /** The only values the argument takes. Default any. */
  argsChoices?: readonly string[];
  summary: string;
  description?: string;
  examples: string[];
  /** Whether `--json` applies. Default false. */
  json?: boolean;
  /** Whether `--yes` applies. Default false. */
  yes?: boolean;
  /** False for commands that never call AWS: they take no stack, region, profile or endpoint. Default true. */
  aws?: boolean;
  /** The command's own options, in the order `--help` lists them. Default none. */
  options?: S;
}

/** The handler a command spec calls for: its arguments and options typed from the spec. */
export type HandlerOf<C extends CommandSpec> = C extends CommandSpec<infer A, infer S> ? Handler<ArgsOf<A>, OptionsOf<S>> : never;

/** The option values a command's handler receives. */
export type CommandOptions<C extends CommandSpec> = OptionsOf<NonNullable<C["options"]>>;

/** A handler as the CLI calls it: commander's arguments and option values, which the spec typed. */
export type LoadedHandler = Handler<unknown[], object>;

/** A command spec with its handler, loaded on use so that `approvals --help` loads no command module. */
export interface LoadableCommand extends CommandSpec {
  load: () => Promise<{ handler: LoadedHandler }>;
}

/**
 * A command spec, its literal types kept: the flags of each option decide the type of its value.
 * Written in `commands/<name>.spec.ts`, which the handler imports for its types only.
 */
export function commandSpec<const A extends string | undefined = undefined, const S extends OptionsSpec = Record<never, never>>(
  spec: CommandSpec<A, S>,
): CommandSpec<A, S> {
  return spec;
}

/** A command spec with the loader of its handler, whose type must be the one the spec calls for. */
export function defineCommand<C extends CommandSpec>(spec: C, load: () => Promise<{ handler: HandlerOf<C> }>): LoadableCommand {
  // The handler's type was checked against the spec above; commander gives the values the spec describes.
  return { ...spec, load: load as unknown as LoadableCommand["load"] };
}

/**
 * Add a spec's arguments and options to a commander command, in the spec's order. Throws when an
 * option's key is not the name commander gives its value: the handler would read nothing there.
 */
export function addSpec(command: Command, spec: CommandSpec, argsHelp: string): void {
  if (spec.args) {
    const argument = new Argument(spec.args, spec.argsHelp ?? argsHelp);
    if (spec.argsChoices) argument.choices(spec.argsChoices);
    command.addArgument(argument);
  }
  addOptions(command, spec.name, spec.options ?? {});
}

/** Add options to a commander command, in their order; throws on one keyed otherwise than commander names its value. */
export function addOptions(command: Command, commandName: string, options: OptionsSpec): void {
  for (const [key, { flags, help, required, default: value }] of Object.entries(options)) {
    const option = new Option(flags, help).makeOptionMandatory(Boolean(required));
    if (value !== undefined) option.default(value);
    if (option.attributeName() !== key) throw new Error(`${commandName}: option ${flags} is keyed ${key}, not ${option.attributeName()}`);
    command.addOption(option);
  }
}
