import { Chalk, type ChalkInstance } from "chalk";
import { AbortError, ApprovalsError, AwsError, ExitCode } from "../errors.js";

/** The streams and environment a command runs with; tests pass their own. */
export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
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

/** A running progress indicator; a no-op where animation is off. */
export interface Progress {
  update(text: string): void;
  stop(): void;
}

/**
 * Decides once, at start, what the terminal allows, and writes everything:
 * results to stdout, progress, prompts and errors to stderr.
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

  constructor(
    readonly streams: Streams,
    flags: OutputFlags = {},
  ) {
    const { env, stdout, stderr, stdin } = streams;
    const ci = Boolean(env.CI) && env.CI !== "false";
    const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
    const noColor = flags.color === false || Boolean(env.NO_COLOR);
    this.color = !noColor && (forced || (Boolean(stdout.isTTY) && env.TERM !== "dumb"));
    this.json = Boolean(flags.json);
    this.debugEnabled = Boolean(flags.debug);
    this.yes = Boolean(flags.yes);
    this.animate = Boolean(stderr.isTTY) && !ci && !this.json && env.TERM !== "dumb";
    this.interactive = Boolean(stdin.isTTY) && Boolean(stderr.isTTY) && !ci && !this.yes;
    this.style = new Chalk({ level: this.color ? 1 : 0 });
  }

  /** A line of results on stdout. */
  result(text = ""): void {
    this.streams.stdout.write(`${text}\n`);
  }

  /** The one JSON document of a `--json` run. */
  jsonResult(value: unknown): void {
    this.streams.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Progress and explanations, on stderr. */
  info(text = ""): void {
    this.streams.stderr.write(`${text}\n`);
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
    this.info(`${this.style.red("error:")} ${message}`);
    if (known && error.hint) this.info(`${this.style.dim("hint:")} ${error.hint}`);
    if (this.debugEnabled) {
      if (error instanceof AwsError) this.info(`[debug] code ${error.code}, request id ${error.requestId ?? "unknown"}`);
      const cause = (error as Error)?.cause as Error | undefined;
      this.info(`[debug] ${(cause ?? (error as Error))?.stack ?? String(error)}`);
    }
    return known ? error.exitCode : ExitCode.FAILED;
  }

  /** A spinner on stderr that appears only when work takes longer than 300 ms. */
  progress(text: string): Progress {
    if (!this.animate) return { update() {}, stop() {} };
    let spinner: { text: string; stop(): void } | undefined;
    let current = text;
    let stopped = false;
    const timer = setTimeout(async () => {
      const { default: ora } = await import("ora");
      if (stopped) return;
      spinner = ora({ text: current, stream: this.streams.stderr as NodeJS.WritableStream & { isTTY: boolean } }).start();
    }, 300);
    timer.unref?.();
    return {
      update(next) {
        current = next;
        if (spinner) spinner.text = next;
      },
      stop() {
        stopped = true;
        clearTimeout(timer);
        spinner?.stop();
      },
    };
  }

  /**
   * Ask before doing something: true with --yes; a prompt on a terminal; elsewhere a refusal
   * telling the user to pass --yes.
   */
  async confirm(message: string, what = "this"): Promise<void> {
    if (this.yes) return;
    if (!this.interactive) {
      throw new ApprovalsError(
        `Refusing to ${what} without confirmation: no terminal to ask on.`,
        "Pass --yes to confirm non-interactively.",
        ExitCode.USAGE,
      );
    }
    const { confirm } = await import("@inquirer/prompts");
    let ok: boolean;
    try {
      ok = await confirm({ message, default: false }, { input: this.streams.stdin, output: this.streams.stderr });
    } catch (error) {
      if ((error as Error).name === "ExitPromptError")
        throw new ApprovalsError("Interrupted: nothing was sent.", undefined, ExitCode.INTERRUPTED);
      throw error;
    }
    if (!ok) throw new AbortError();
  }
}
