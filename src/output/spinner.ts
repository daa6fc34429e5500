import type { ChalkInstance } from "chalk";

/** A running progress indicator; a no-op where animation is off. */
export interface Progress {
  /** Replace the spinner's text. */
  update(text: string): void;
  /** Print a finished line above the spinner; a plain stderr line where animation is off. */
  log(line: string): void;
  stop(): void;
}

/** Options of {@link Output.progress}. */
export interface ProgressOptions {
  /** Show the seconds elapsed after the text, ticking each second. Default false. */
  elapsed?: boolean;
  /** How long work may take before the spinner appears. Default 300 ms. */
  delayMs?: number;
}

/** The part of an ora spinner used here. */
interface Spinner {
  text: string;
  clear(): unknown;
  render(): unknown;
  stop(): unknown;
}

/**
 * An ora spinner on `stream` that appears only after `delayMs` (short work shows nothing), can
 * tick the seconds elapsed, and prints finished lines above itself without tearing.
 */
export function startSpinner(
  stream: NodeJS.WritableStream,
  style: ChalkInstance,
  color: boolean,
  text: string,
  options: ProgressOptions,
): Progress {
  const started = Date.now();
  let spinner: Spinner | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  let current = text;
  let stopped = false;
  const label = () => (options.elapsed ? `${current} ${style.dim(`${Math.floor((Date.now() - started) / 1000)}s`)}` : current);
  const timer = setTimeout(async () => {
    const { default: ora } = await import("ora");
    if (stopped) return;
    spinner = ora({
      text: label(),
      stream: stream as NodeJS.WritableStream & { isTTY: boolean },
      color: color ? "cyan" : false,
      // ora's stdin capture would swallow Ctrl-C and fight a later prompt for the terminal.
      discardStdin: false,
      // Output already decided that this terminal animates (TTY, not CI, not --json): ora must not
      // second-guess it from the process environment.
      isEnabled: true,
    }).start();
    if (options.elapsed) {
      ticker = setInterval(() => {
        if (spinner) spinner.text = label();
      }, 1000);
      ticker.unref?.();
    }
  }, options.delayMs ?? 300);
  timer.unref?.();
  return {
    update(next) {
      current = next;
      if (spinner) spinner.text = label();
    },
    log(line) {
      spinner?.clear();
      stream.write(`${line}\n`);
      spinner?.render();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(ticker);
      spinner?.stop();
      spinner = undefined;
    },
  };
}
