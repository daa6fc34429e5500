import { Chalk, type ChalkInstance } from "chalk";
import { AbortError, ApprovalsError, AwsError, ExitCode, InterruptedError, UsageError } from "../errors.js";
import { safeJson, safeOutput, safeText } from "../lib/safe-text.js";
import { type Progress, type ProgressOptions, startSpinner } from "./spinner.js";

export type { Progress, ProgressOptions };

/** The streams a command runs with; tests pass their own. */
export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Flags that shape output, from the command line. */
export interface OutputFlags {
  /** `--json`: stdout carries exactly one JSON document. Default false. */
  json?: boolean;
  /** `--no-color` sets false; default: decided from the environment. */
  color?: boolean;
  /** `--debug`: stack traces, request ids and a log of AWS calls on stderr. Default false. */
  debug?: boolean;
  /** `--yes`: never prompt; treat confirmations as accepted. Default false. */
  yes?: boolean;
}

/** The terminal's width when stdout is a terminal; undefined in a pipe or a file, where nothing is cut. */
function terminalWidth(stdout: { isTTY?: boolean; columns?: number }): number | undefined {
  return stdout.isTTY && stdout.columns && stdout.columns > 0 ? stdout.columns : undefined;
}

/**
 * A block of stdout redrawn in place (`pending --watch`), from {@link Output.liveRegion}. The
 * cursor movement is the output layer's own; every line it is given passes {@link safeOutput}.
 */
export interface LiveRegion {
  /** The terminal's width in columns; undefined when unknown. */
  readonly width: number | undefined;
  /** The terminal's height in rows (24 when unknown). */
  readonly rows: number;
  /** Print `permanent` lines where the frame was (they stay in the scrollback), then `frame` below them. */
  draw(permanent: string[], frame: string[]): void;
  /** Ring the terminal's bell. */
  bell(): void;
}

/** The process's own streams, for a run of the program (tests pass their own). */
export function processStreams(): Streams {
  // `approvals pending | head -1`: a reader that stops reading ends the output quietly, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
      process.exit(process.exitCode ?? 0);
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
}

/**
 * Colour or not: `--no-color`, `NO_COLOR` (non-empty) and `FORCE_COLOR=0|false` turn it off;
 * any other `FORCE_COLOR` turns it on even in a pipe; otherwise colour only on a terminal.
 */
export function decideColor(flags: Pick<OutputFlags, "color">, env: NodeJS.ProcessEnv, terminal: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (flags.color === false || env.NO_COLOR || force === "0" || force === "false") return false;
  return force !== undefined || terminal;
}

/**
 * Decides once, at start, what the terminal allows, and writes everything:
 * results to stdout, progress, prompts and errors to stderr. It is the only way to the terminal (its
 * streams are private; a unit test checks that no other module writes to a stream): every line written
 * passes {@link safeOutput}, so controls become visible escapes and only the colour of {@link style} survives.
 */
export class Output {
  /** Colour on stdout and stderr. */
  readonly color: boolean;
  /** Spinners and redrawn lines. */
  readonly animate: boolean;
  /** Whether the user may be asked questions. */
  readonly interactive: boolean;
  readonly json: boolean;
  readonly debugEnabled: boolean;
  readonly yes: boolean;
  /** Styles; plain strings when colour is off. */
  readonly style: ChalkInstance;
  /** The spinner on screen, if any: other stderr lines are printed above it. */
  private spinning: Progress | undefined;

  constructor(
    private readonly streams: Streams,
    flags: OutputFlags = {},
    /** The environment: CI, TERM, NO_COLOR and FORCE_COLOR. Default empty. */
    env: NodeJS.ProcessEnv = {},
  ) {
    const { stdout, stderr, stdin } = streams;
    const ci = Boolean(env.CI) && env.CI !== "false";
    const dumb = env.TERM === "dumb";
    this.color = decideColor(flags, env, Boolean(stdout.isTTY) && !dumb);
    this.json = Boolean(flags.json);
    this.debugEnabled = Boolean(flags.debug);
    this.yes = Boolean(flags.yes);
    // A spinner only where a person watches both streams: not in a pipe, a file, CI or --json; and
    // asking for no colour (NO_COLOR, --no-color) asks for a quiet terminal, so no spinner either.
    const quiet = flags.color === false || Boolean(env.NO_COLOR);
    this.animate = Boolean(stderr.isTTY) && Boolean(stdout.isTTY) && !ci && !this.json && !dumb && !quiet;
    this.interactive = Boolean(stdin.isTTY) && Boolean(stderr.isTTY) && !ci && !this.yes;
    this.style = new Chalk({ level: this.color ? 1 : 0 });
  }

  /**
   * Text made safe for this terminal: controls escaped, the program's colour kept when colour is on.
   * Untrusted pieces still go through `safeText` before they are coloured (see {@link safeOutput}).
   */
  private safe(text: string, lines = true): string {
    return safeOutput(text, { colour: this.color, lines });
  }

  /** Standard input, for commands that read data from it (`start --input -`); the prompts use it too. */
  get stdin(): Streams["stdin"] {
    return this.streams.stdin;
  }

  /** Whether stdout is a terminal. */
  get stdoutIsTerminal(): boolean {
    return Boolean(this.streams.stdout.isTTY);
  }

  /** The width of the terminal stdout writes to; undefined in a pipe (nothing is cut there). */
  get width(): number | undefined {
    return terminalWidth(this.streams.stdout);
  }

  /** The width of the terminal stderr writes to; undefined in a pipe. */
  get errorWidth(): number | undefined {
    return terminalWidth(this.streams.stderr);
  }

  /**
   * Text that carries its own line ends, on stdout: a document the program prints whole (the bundled
   * template, a completion script, commander's help, completion candidates), neutralised like every line.
   */
  document(text: string): void {
    this.streams.stdout.write(this.safe(text));
  }

  /** Like {@link document}, on stderr (commander's errors and usage). */
  errorDocument(text: string): void {
    this.streams.stderr.write(this.safe(text));
  }

  /**
   * The block `pending --watch` redraws on stdout. Each draw erases the previous frame (the lines it
   * drew, which fit the width, so their count is the number to erase) and writes the new one through
   * {@link safeOutput}: the erase is the only control sequence but colour that reaches the terminal.
   */
  liveRegion(): LiveRegion {
    const { stdout } = this.streams;
    let drawn = 0;
    return {
      get width() {
        return terminalWidth(stdout);
      },
      get rows() {
        return (stdout as { rows?: number }).rows ?? 24;
      },
      draw: (permanent, frame) => {
        const erase = drawn > 0 ? `\u001b[${drawn}F\u001b[0J` : "";
        // Each line alone, so that a line break left in one cannot throw the count of lines to erase off.
        stdout.write(`${erase}${[...permanent, ...frame].map((line) => this.safe(line, false)).join("\n")}\n`);
        drawn = frame.length;
      },
      bell: () => stdout.write("\u0007"),
    };
  }

  /** A line of results on stdout. */
  result(text = ""): void {
    this.streams.stdout.write(`${this.safe(text)}\n`);
  }

  /**
   * The one JSON document of a `--json` run: the exact data, with the characters JSON.stringify
   * leaves raw (DEL, C1 controls, bidi overrides) written as `\u` escapes that parse back the same.
   */
  jsonResult(value: unknown): void {
    this.streams.stdout.write(`${safeJson(JSON.stringify(value, null, 2))}\n`);
  }

  /** Progress and explanations, on stderr. */
  info(text = ""): void {
    const line = this.safe(text);
    // A line written under a running spinner would be torn by its next frame: print it above instead.
    if (this.spinning) this.spinning.log(line);
    else this.streams.stderr.write(`${line}\n`);
  }

  warn(text: string): void {
    this.info(`${this.style.yellow("warning:")} ${text}`);
  }

  /** A `--debug` line on stderr. */
  debug(text: string): void {
    if (this.debugEnabled) this.info(this.style.dim(`[debug] ${text}`));
  }

  /** Report an error as one line plus a hint; stack and request id only with --debug. */
  error(error: unknown): number {
    const known = error instanceof ApprovalsError;
    const message = known ? error.message : `Unexpected error: ${(error as Error)?.message ?? String(error)}`;
    // Messages and hints quote names, ARNs, paths and what AWS said: neutralised here, once, before colour.
    this.info(`${this.style.red("error:")} ${safeText(message)}`);
    if (known && error.hint) this.info(`${this.style.dim("hint:")} ${safeText(error.hint)}`);
    if (this.debugEnabled) this.debugChain(error);
    return known ? error.exitCode : ExitCode.FAILED;
  }

  /** `--debug`: the error and each cause it wraps (AWS code and request id included), then the innermost stack. */
  private debugChain(error: unknown): void {
    const chain: unknown[] = [];
    for (let e: unknown = error; e !== undefined && e !== null && !chain.includes(e); e = (e as Error).cause) chain.push(e);
    chain.forEach((link, depth) => {
      const e = link as Error & { $metadata?: { requestId?: string } };
      const aws =
        link instanceof AwsError
          ? ` (code ${link.code}, request id ${link.requestId ?? "unknown"})`
          : e.$metadata
            ? ` (request id ${e.$metadata.requestId ?? "unknown"})`
            : "";
      const said = `${e.name ?? "Error"}: ${String(e.message ?? link).split("\n")[0]}`;
      this.info(`[debug] ${depth === 0 ? "" : "caused by "}${safeText(said)}${aws}`);
    });
    const innermost = chain.at(-1) as Error | undefined;
    this.info(`[debug] ${innermost?.stack ?? String(innermost)}`);
  }

  /**
   * A spinner on stderr that appears only when work takes longer than 300 ms. Where animation is
   * off it shows nothing, and {@link Progress.log} lines are printed as they come.
   */
  progress(text: string, options: ProgressOptions = {}): Progress {
    if (!this.animate) return { update() {}, log: (line) => this.info(line), stop() {} };
    const spinner = startSpinner(this.streams.stderr, this.style, this.color, this.safe(text, false), options);
    this.spinning = spinner;
    return {
      update: (next) => spinner.update(this.safe(next, false)),
      log: (line) => spinner.log(this.safe(line)),
      stop: () => {
        spinner.stop();
        if (this.spinning === spinner) this.spinning = undefined;
      },
    };
  }

  /**
   * Refuse early, before anything is sent, when a confirmation will be needed and nobody can give
   * it: no terminal to ask on and no --yes. The same refusal {@link confirm} makes.
   */
  ensureCanConfirm(what: string): void {
    if (this.yes || this.interactive) return;
    throw new UsageError(`Refusing to ${what} without confirmation: no terminal to ask on.`, "Pass --yes to confirm non-interactively.");
  }

  /**
   * Ask before doing something: true with --yes; a prompt on a terminal; elsewhere a refusal
   * telling the user to pass --yes.
   */
  async confirm(message: string, what = "this"): Promise<void> {
    if (this.yes) return;
    this.ensureCanConfirm(what);
    const { confirm } = await import("./prompts.js");
    const ok = await this.prompt((context) => confirm({ message: this.safe(message, false), default: false }, context));
    if (!ok) throw new AbortError();
  }

  /** Run an @inquirer prompt on this output's streams; Ctrl-C at it sends nothing and exits 130. */
  async prompt<T>(ask: (context: { input: Streams["stdin"]; output: Streams["stderr"] }) => Promise<T>): Promise<T> {
    try {
      return await ask({ input: this.streams.stdin, output: this.streams.stderr });
    } catch (error) {
      if ((error as Error).name === "ExitPromptError") throw new InterruptedError("Interrupted: nothing was sent.", undefined, error);
      throw error;
    }
  }
}
