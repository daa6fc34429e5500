import { setMaxListeners } from "node:events";
import { Command, CommanderError } from "commander";
import { awsOptions, type CommonOptions, jsonOption, runOptions, yesOption } from "./commands/common.spec.js";
import { commandContext } from "./commands/context.js";
import { addOptions, addSpec } from "./commands/define.js";
import { type CommandSpec, commands, executionArg } from "./commands/index.js";
import { checkCommonOptions, checkEndpointVariables } from "./common-options.js";
import { createContext, type Seams } from "./context.js";
import { checkArgumentEncoding, type OptionSpelling } from "./core/argv-encoding.js";
import { placeholder, type Scope, suggestCommand, type Word } from "./core/suggest.js";
import { ExitCode, InterruptedError } from "./errors.js";
import { cacheFolderNotes } from "./lib/cache-folder.js";
import { InFlight } from "./lib/in-flight.js";
import { safeBlock, safeText } from "./lib/safe-text.js";
import { commandHelpAfter, PROGRAM_DESCRIPTION, programHelpAfter } from "./output/help.js";
import { Output, processStreams, type Streams } from "./output/output.js";
import { DEFAULT_STACK_NAME } from "./settings.js";
import { VERSION } from "./version.js";

/** The options every command takes, as its spec says: AWS's unless it never calls AWS, `--json` and `--yes` where they apply. */
function addCommonOptions(command: Command, spec: CommandSpec): void {
  if (spec.aws !== false) addOptions(command, spec.name, awsOptions);
  addOptions(command, spec.name, runOptions);
  if (spec.json) addOptions(command, spec.name, jsonOption);
  if (spec.yes) addOptions(command, spec.name, yesOption);
}

/** What one run of the program works with: its streams, environment and the seams tests replace. */
export interface Run {
  streams: Streams;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The calls in flight that change something, for the second Ctrl-C to name. */
  inFlight?: InFlight;
  /** Set to the command's stack and AWS flags once they are checked: what the second Ctrl-C suggests acts on them. */
  scope?: { current?: Scope };
  seams?: Seams;
  /** Receives each command's exit code. */
  setExit: (code: number) => void;
}

/** Build the program for one run. */
function buildProgram(run: Run): Command {
  const { streams, env, setExit } = run;
  // Commander's help, usage and errors reach the terminal through the output layer too.
  const plain = new Output(streams, { color: false }, env);
  const program = new Command("approvals")
    .description(PROGRAM_DESCRIPTION)
    .addHelpText("after", programHelpAfter(commands.filter((c) => c.aws === false).map((c) => c.name)))
    .commandsGroup("Commands, in workflow order:")
    .helpCommand(true)
    .version(VERSION, "-v, --version")
    .showHelpAfterError("hint: see `approvals --help`")
    .configureOutput({
      writeOut: (s) => plain.document(s),
      writeErr: (s) => plain.errorDocument(s),
      // Keep commander's suggestion on the error's own line: one `error:` line, then the hint. The
      // message quotes the argument it refuses, so it is neutralised like every echo of argv.
      outputError: (s, write) => write(safeBlock(s.replace(/\n\((Did you mean .+\?)\)/, " ($1)"))),
    })
    .exitOverride();

  for (const spec of commands) {
    const command = program.command(spec.name).summary(spec.summary);
    command.description(spec.description ?? spec.summary).exitOverride();
    // Commander's own errors (unknown option, missing argument) get the same error/hint shape as ours.
    command.showHelpAfterError(`hint: see \`approvals ${spec.name} --help\``);
    addSpec(command, spec, executionArg);
    addCommonOptions(command, spec);
    command.addHelpText("after", commandHelpAfter(spec.examples));
    command.action(async (...params: unknown[]) => {
      const cmd = params.at(-1) as Command;
      const options = cmd.opts() as CommonOptions;
      // `--state-machine` excludes `--stack-name` given on the command line, not its default.
      options.stackNameGiven = cmd.getOptionValueSource("stackName") === "cli";
      const args = params.slice(0, -2);
      const out = new Output(streams, options, env);
      if (out.debugEnabled) for (const note of cacheFolderNotes(env, (options as { cache?: boolean }).cache === false)) out.debug(note);
      try {
        checkCommonOptions(options);
        if (spec.aws !== false) checkEndpointVariables(env, options.endpointUrl);
        const ctx = commandContext(createContext(options, { env, out, signal: run.signal, inFlight: run.inFlight, seams: run.seams }), out);
        if (run.scope) run.scope.current = ctx;
        const { handler } = await spec.load();
        setExit(await handler(ctx, args, options));
      } catch (error) {
        setExit(out.error(error));
      }
    });
  }
  return program;
}

/**
 * The first Ctrl-C aborts the run's signal: waits stop, no further call that changes anything
 * starts, calls in flight finish or time out, and the command reports what was sent (exit 130).
 * A second one exits at once, naming what may still be in flight.
 */
function interruptOnSigint(controller: AbortController, inFlight: InFlight, streams: Streams, scope: { current?: Scope }): () => void {
  const onSigint = () => {
    if (controller.signal.aborted) {
      const running = inFlight.list();
      const suggest = (words: Word[]) => suggestCommand(scope.current ?? { stackName: DEFAULT_STACK_NAME, aws: {} }, words);
      new Output(streams, { color: false }).info(
        running.length
          ? `Interrupted again: exiting now. May still reach AWS: ${safeText(running.join(", "))}. Check with \`${suggest(["show", placeholder("name")])}\` or \`${suggest(["pending"])}\`.`
          : "Interrupted again: exiting now; no call that changes anything was in flight.",
      );
      process.exit(ExitCode.INTERRUPTED);
    }
    controller.abort(new InterruptedError("Interrupted."));
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}

/**
 * Run the CLI with the given argv; resolves to the exit code. `env` is the environment, read here
 * once and passed down; `seams` lets a test run a command in-process with fake clients and clock.
 * `rawArgs` are the arguments after the script (argv[2] on) as the operating system gave them,
 * bytes Node has not decoded, when known (bin/approvals.js reads them): an argument that is not
 * UTF-8 is refused before anything runs (see {@link checkArgumentEncoding}).
 */
export async function main(
  argv: string[],
  streams: Streams = processStreams(),
  env: NodeJS.ProcessEnv = process.env,
  seams?: Seams,
  rawArgs?: readonly Uint8Array[],
): Promise<number> {
  // Shell completion's hidden entry point: it must stay quick, and never print usage errors into a command line.
  if (argv[2] === "__complete") {
    const { runComplete } = await import("./completion/refresh.js");
    const program = buildProgram({ streams, env, seams, setExit: () => {} });
    return runComplete(program, argv.slice(3), { streams, env, bin: argv[1], seams });
  }
  let exitCode: number = ExitCode.OK;
  const controller = new AbortController();
  // Every follower of a batch and each of its requests listens to this one signal.
  setMaxListeners(100, controller.signal);
  const inFlight = new InFlight();
  const scope: { current?: Scope } = {};
  const program = buildProgram({
    scope,
    streams,
    env,
    seams,
    signal: controller.signal,
    inFlight,
    setExit: (code) => {
      exitCode = code;
    },
  });
  try {
    checkArgumentEncoding(argv.slice(2), rawArgs, optionSpellings(program));
  } catch (error) {
    return new Output(streams, {}, env).error(error);
  }
  if (argv.length <= 2) {
    program.outputHelp();
    return ExitCode.OK;
  }
  // `approvals help nope`: commander would print the whole help; say the command is unknown, as `approvals nope` does.
  const [, , first, topic] = argv;
  if (first === "help" && topic !== undefined && !program.commands.some((c) => c.name() === topic)) {
    argv = [...argv.slice(0, 2), topic];
  }
  const release = interruptOnSigint(controller, inFlight, streams, scope);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return ExitCode.OK;
      }
      return ExitCode.USAGE;
    }
    return new Output(streams, {}, env).error(error);
  } finally {
    release();
  }
  return exitCode;
}

/** Every option of the program and its commands, for telling an option's value from an argument. */
function optionSpellings(program: Command): OptionSpelling[] {
  return [program, ...program.commands].flatMap((c) =>
    c.options.map((o) => ({ long: o.long, short: o.short, takesValue: o.required || o.optional })),
  );
}
