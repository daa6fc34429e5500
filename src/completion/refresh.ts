import { spawn } from "node:child_process";
import type { Command } from "commander";
import type { Seams } from "../context.js";
import { isMachineName } from "../core/machine/resolve.js";
import { safeText } from "../lib/safe-text.js";
import { Output, type Streams } from "../output/output.js";
import { STACK_NAME } from "../settings.js";
import {
  markRefreshing,
  needsRefresh,
  readFinished,
  readMachines,
  readWaiting,
  rememberFinished,
  rememberNames,
  scopeOf,
  type WaitingScope,
  writeWaiting,
} from "./cache.js";
import { type CompletionModel, completeWords, type OptionModel, optionValue } from "./model.js";

/** What a completion run works with. */
export interface CompleteRun {
  streams: Streams;
  env: NodeJS.ProcessEnv;
  /** The CLI's own script (argv[1]), to start the background refresh with; none, no refresh. */
  bin: string | undefined;
  seams?: Seams;
}

/** A background refresh that has not finished by then gives up: it runs while the user types. */
const REFRESH_LIMIT_MS = 15_000;

/** The options that say which stack, account and region execution names come from. */
const SCOPE_FLAGS = ["--stack-name", "--region", "--profile", "--endpoint-url"] as const;

/**
 * `approvals __complete <words...>`: print the candidates for the last word, one per line as
 * `value<TAB>description`. Never fails and never waits for AWS: execution names come from the cache
 * `pending` writes; when they are older than a minute a bounded background call refreshes them.
 * `approvals __complete --refresh <scope options>` is that background call.
 */
export async function runComplete(program: Command, args: string[], run: CompleteRun): Promise<number> {
  const { streams, env } = run;
  const now = (run.seams?.now ?? (() => new Date()))().getTime();
  try {
    if (args[0] === "--refresh") return await refresh(args.slice(1), run, now);
    const words = joinEquals(args.length > 0 ? args : [""]);
    const completion = completeWords(modelOf(program), words);
    const lines: string[] = [];
    if (completion.kind === "words") lines.push(...completion.candidates.map((c) => `${c.value}\t${c.description}`));
    else if (completion.kind === "files") lines.push(":files");
    else if (completion.kind === "profiles") {
      lines.push(...(await profileNames()).filter((p) => p.startsWith(completion.prefix)).map((p) => `${p}\tprofile`));
    } else if (completion.kind === "machines") {
      // No AWS call on Tab: the names `pending --all-state-machines` (or a run on one) remembered.
      // The store is a file anything may have written: a name `--state-machine` would refuse (a space,
      // `$(...)`, `;`, over 80 characters, empty) is not offered. One that begins with `-` is: commander
      // takes the word after `--state-machine` as its value whatever it looks like.
      const machines = await readMachines(scopeOf(scopeOptions(words.slice(0, -1)), env), env);
      const offered = machines.filter((n) => n.startsWith(completion.prefix) && isName(n) && isMachineName(n));
      lines.push(...offered.map((n) => `${n}\tstate machine`));
    } else if (optionValue(words.slice(1, -1), "--state-machine") === undefined) {
      // With `--state-machine` the command looks for the execution in that state machine: the stack's
      // names are not its own (one of the same name there would be decided), so none are offered.
      // `stack/name` (as `pending --all-stacks` prints them): the names remembered for that stack.
      const { stack, prefix } = stackQualified(completion.prefix);
      const label = (n: string) => (stack ? `${stack}/${n}` : n);
      const scope = scopeOf({ ...scopeOptions(words.slice(0, -1)), ...(stack ? { stackName: stack } : {}) }, env);
      const names = await waitingNames(scope, env, run.bin, now);
      const typed = new Set(completion.exclude);
      // A name with a control or bidi character would act on the terminal when the shell lists it, and
      // cannot be typed as shown: it is not offered (`pending` shows it escaped). Nor is a name that
      // begins with `-` (Step Functions allows `--yes` or `--stack-name=prod`) before a `--`: inserted
      // there, Enter would run the command with an option instead of that execution.
      const afterDashes = words.slice(1, -1).includes("--");
      const offerable = (n: string) => isName(n) && (afterDashes || !label(n).startsWith("-"));
      const offered = names.filter((n) => n.startsWith(prefix) && !typed.has(label(n)) && offerable(n));
      lines.push(...offered.map((n) => `${label(n)}\twaiting`));
      // `show` reads any execution: recent finished ones (remembered by `list` and the refresh) too.
      if (words[0] === "show") {
        const waiting = new Set(names);
        const finished = (await readFinished(scope, env)).filter((n) => n.startsWith(prefix) && !waiting.has(n) && offerable(n));
        lines.push(...finished.map((n) => `${label(n)}\tfinished`));
      }
    }
    if (lines.length > 0) new Output(streams, { color: false }).document(`${lines.join("\n")}\n`);
  } catch {
    // Completion must never print an error into the user's command line.
  }
  return 0;
}

/**
 * Whether a remembered name may be offered: shown as it is, and read back by the commands as a name
 * of that stack's state machine. The store is a file: a name with `/` planted there would be taken
 * for another stack's execution (`stack/name`), one beginning `arn:` for any execution's ARN.
 * Step Functions gives neither. Quotes, spaces and `$` are the shell script's to quote.
 */
function isName(name: string): boolean {
  return safeText(name) === name && !name.includes("/") && !name.startsWith("arn:");
}

/**
 * A typed `stack/name` prefix split at its first `/` (execution names hold none), when what comes
 * before it can be a stack name; otherwise the prefix as it is, of the `--stack-name` stack.
 */
function stackQualified(typed: string): { stack?: string; prefix: string } {
  const slash = typed.indexOf("/");
  const stack = typed.slice(0, slash);
  return slash > 0 && STACK_NAME.test(stack) ? { stack, prefix: typed.slice(slash + 1) } : { prefix: typed };
}

/** The command line's shape, read from the program itself. */
function modelOf(program: Command): CompletionModel {
  const help = program.createHelp();
  const options = (command: Command): OptionModel[] =>
    help.visibleOptions(command).map((o) => ({
      flags: [o.long, o.short].filter((f): f is string => Boolean(f)),
      description: o.description,
      value: o.flags.match(/[<[]([^>\]]+)[>\]]/)?.[1],
    }));
  return {
    options: options(program),
    commands: help.visibleCommands(program).map((command) => {
      const argument = command.registeredArguments[0];
      return {
        name: command.name(),
        summary: command.summary() || command.description(),
        options: options(command),
        argument: argument?.name(),
        variadic: argument?.variadic,
        choices: argument?.argChoices,
      };
    }),
  };
}

/** Bash splits `--stack-name=prod` into three words; the options parser wants one. */
function joinEquals(words: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "=" && i > 0 && i < words.length - 1 && joined.at(-1)?.startsWith("--")) {
      joined.push(`${joined.pop()}=${words[++i]}`);
    } else joined.push(word);
  }
  return joined;
}

function scopeOptions(words: string[]) {
  const [stackName, region, profile, endpointUrl] = SCOPE_FLAGS.map((flag) => optionValue(words, flag));
  return { stackName, region, profile, endpointUrl };
}

/** Cached names, and a refresh started in the background when they are stale. */
async function waitingNames(scope: WaitingScope, env: NodeJS.ProcessEnv, bin: string | undefined, now: number): Promise<string[]> {
  const entry = await readWaiting(scope, env);
  if (bin && needsRefresh(entry, now)) {
    await markRefreshing(scope, env, now);
    const scopeArgs = [
      ["--stack-name", scope.stackName],
      ["--region", scope.region],
      ["--profile", scope.profile],
      ["--endpoint-url", scope.endpoint],
    ].flatMap(([flag, value]) => (value ? [flag as string, value] : []));
    spawn(process.execPath, [bin, "__complete", "--refresh", ...scopeArgs], { detached: true, stdio: "ignore", env }).unref();
  }
  return entry?.names ?? [];
}

/**
 * The background refresh: list the waiting executions as `pending` does (which writes the names),
 * within REFRESH_LIMIT_MS.
 */
async function refresh(args: string[], run: CompleteRun, now: number): Promise<number> {
  setTimeout(() => process.exit(0), REFRESH_LIMIT_MS).unref();
  const options = scopeOptions(args);
  const scope = scopeOf(options, run.env);
  const [{ createContext }, { listWaiting }, { recentEndedNames }] = await Promise.all([
    import("../context.js"),
    import("../core/executions/list-waiting.js"),
    import("../core/executions/list-executions.js"),
  ]);
  try {
    const ctx = createContext({ ...options, stackName: scope.stackName }, { env: run.env, seams: run.seams });
    const { stateMachineArn, pending } = await listWaiting(ctx, { cache: true });
    await rememberNames(ctx, scope.stackName, pending);
    await rememberFinished(options, await recentEndedNames(ctx, stateMachineArn), run.env);
  } catch {
    // Unreachable or missing stack: keep the names we had, and wait a minute before asking again.
    await writeWaiting(scope, (await readWaiting(scope, run.env))?.names ?? [], run.env, now);
  }
  return 0;
}

/** Profile names from the shared config and credentials files, as the SDK reads them. */
async function profileNames(): Promise<string[]> {
  const { loadSharedConfigFiles } = await import("@smithy/core/config");
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  const names = [...Object.keys(configFile), ...Object.keys(credentialsFile)].filter((n) => !/^(sso-session|services)\./.test(n));
  return [...new Set(names)].sort();
}
