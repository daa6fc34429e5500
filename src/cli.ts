import { Command, CommanderError } from "commander";
import { type CommandSpec, commands, executionArg } from "./commands/index.js";
import { checkCommonOptions, checkEndpointVariables } from "./common-options.js";
import { type CommonOptions, createContext } from "./context.js";
import { ExitCode, InterruptedError } from "./errors.js";
import { commandHelpAfter, PROGRAM_DESCRIPTION, PROGRAM_HELP_AFTER } from "./output/help.js";
import { Output, type Streams } from "./output/output.js";
import { VERSION } from "./version.js";

const DEFAULT_STACK = "human-approval";

function addCommonOptions(command: Command, spec: CommandSpec): Command {
  if (spec.aws !== false) {
    command
      .option("--stack-name <name>", "CloudFormation stack name", DEFAULT_STACK)
      .option("--region <region>", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)")
      .option("--profile <name>", "shared config/credentials profile (default: AWS_PROFILE or default)")
      .option("--endpoint-url <url>", "send requests to this endpoint (default: AWS_ENDPOINT_URL)");
  }
  command.option("--debug", "show stack traces, request ids and each AWS call on stderr").option("--no-color", "never colour the output");
  if (spec.json) command.option("--json", "print the result as one JSON document on stdout");
  if (spec.yes) command.option("-y, --yes", "do not ask for confirmation");
  return command;
}

/** Build the program; `run` receives each command's handler result. */
export function buildProgram(streams: Streams, setExit: (code: number) => void, signal?: AbortSignal): Command {
  const program = new Command("approvals")
    .description(PROGRAM_DESCRIPTION)
    .addHelpText("after", PROGRAM_HELP_AFTER)
    .commandsGroup("Commands, in workflow order:")
    .helpCommand(true)
    .version(VERSION, "-v, --version")
    .showHelpAfterError("hint: see `approvals --help`")
    .configureOutput({
      writeOut: (s) => streams.stdout.write(s),
      writeErr: (s) => streams.stderr.write(s),
      // Keep commander's suggestion on the error's own line: one `error:` line, then the hint.
      outputError: (s, write) => write(s.replace(/\n\((Did you mean .+\?)\)/, " ($1)")),
    })
    .exitOverride();

  for (const spec of commands) {
    const command = program.command(spec.name).summary(spec.summary);
    command.description(spec.description ?? spec.summary).exitOverride();
    // Commander's own errors (unknown option, missing argument) get the same error/hint shape as ours.
    command.showHelpAfterError(`hint: see \`approvals ${spec.name} --help\``);
    if (spec.args) command.argument(spec.args, executionArg);
    spec.options?.(command);
    addCommonOptions(command, spec);
    command.addHelpText("after", commandHelpAfter(spec.examples));
    command.action(async (...params: unknown[]) => {
      const cmd = params.at(-1) as Command;
      const options = cmd.opts() as CommonOptions;
      const args = params.slice(0, -2);
      const out = new Output(streams, options);
      try {
        checkCommonOptions(options);
        if (spec.aws !== false) checkEndpointVariables(process.env, options.endpointUrl);
        const ctx = createContext(out, options, signal);
        const { handler } = await spec.load();
        setExit(await handler(ctx, args, options));
      } catch (error) {
        setExit(out.error(error));
      }
    });
  }
  return program;
}

/** Ctrl-C aborts the running wait (the command then says what still runs at AWS); a second one quits at once. */
function interruptOnSigint(controller: AbortController, streams: Streams): () => void {
  const onSigint = () => {
    if (controller.signal.aborted) {
      streams.stderr.write("Interrupted.\n");
      process.exit(ExitCode.INTERRUPTED);
    }
    controller.abort(new InterruptedError("Interrupted."));
  };
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}

/** Run the CLI with the given argv; resolves to the exit code. */
export async function main(argv: string[], streams: Streams = processStreams()): Promise<number> {
  // Shell completion's hidden entry point: it must stay quick, and never print usage errors into a command line.
  if (argv[2] === "__complete") {
    const { runComplete } = await import("./commands/completion.js");
    const program = buildProgram(streams, () => {});
    return runComplete(program, argv.slice(3), streams);
  }
  let exitCode: number = ExitCode.OK;
  const controller = new AbortController();
  const program = buildProgram(
    streams,
    (code) => {
      exitCode = code;
    },
    controller.signal,
  );
  if (argv.length <= 2) {
    program.outputHelp();
    return ExitCode.OK;
  }
  const release = interruptOnSigint(controller, streams);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0 || error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return ExitCode.OK;
      }
      return ExitCode.USAGE;
    }
    return new Output(streams).error(error);
  } finally {
    release();
  }
  return exitCode;
}

function processStreams(): Streams {
  // `approvals pending | head -1`: a reader that stops reading ends the output quietly, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
