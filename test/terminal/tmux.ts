import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { commandRuns } from "../support/tools.js";

/** Whether tmux can be run here; without it the terminal tests skip, or fail under CI (`skipWithout`). */
export function hasTmux(): boolean {
  return commandRuns("tmux", ["-V"]);
}

/** Options of {@link Terminal.run}. */
export interface TerminalOptions {
  /** The whole environment of the command (nothing else leaks in). */
  env: Record<string, string | undefined>;
  /** Terminal size; default 140 × 45. */
  columns?: number;
  rows?: number;
  /** Run this command instead of `approvals <args>` (for a control: what raw text does to the terminal). */
  command?: string[];
}

/**
 * `approvals` running in a real terminal: a private tmux server (its own socket) with one pane.
 * Keys go in with send-keys, the screen comes back with capture-pane, as a person sees it.
 * The pane stays after the command ends, so its exit status can be read.
 */
export class Terminal {
  private constructor(private readonly dir: string) {}

  private get socket(): string {
    return join(this.dir, "socket");
  }

  private get statusFile(): string {
    return join(this.dir, "status");
  }

  /** Start `approvals <args>` in a new terminal. */
  static run(args: string[], options: TerminalOptions): Terminal {
    const dir = mkdtempSync(join(tmpdir(), "approvals-tmux-"));
    const config = join(dir, "tmux.conf");
    // set-clipboard on: an OSC 52 sequence an application writes lands in a paste buffer, as a terminal
    // with clipboard access would take it, so a test can see whether one got through.
    const settings = ["set -g remain-on-exit on", "set -g status off", "set -g history-limit 10000", "set -g set-clipboard on", ""];
    writeFileSync(config, settings.join("\n"));
    const term = new Terminal(dir);
    const env = Object.entries({ ...options.env, TERM: "xterm-256color" })
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${value}`);
    const size = ["-x", String(options.columns ?? 140), "-y", String(options.rows ?? 45)];
    // `env -i` so the pane sees exactly the environment given, not the tmux server's. The exit
    // status goes to a file: tmux sometimes marks a pane dead before it has reaped the process.
    const record = 'status="$1"; shift; "$@"; echo $? > "$status"';
    const command = ["bash", "-c", record, "bash", term.statusFile, ...(options.command ?? [process.execPath, BIN, ...args])];
    term.tmux("-f", config, "new-session", "-d", "-s", "cli", ...size, "env", "-i", ...env, ...command);
    return term;
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-S", this.socket, ...args], { encoding: "utf8" });
  }

  /**
   * Record every byte the command writes to the terminal from now on, before the terminal acts on
   * it (tmux's pipe-pane); {@link recorded} reads them.
   */
  record(): void {
    this.tmux("pipe-pane", "-o", "-t", "cli", `cat >> '${this.recordFile}'`);
  }

  /** The bytes recorded since {@link record}, as text. */
  recorded(): string {
    return existsSync(this.recordFile) ? readFileSync(this.recordFile, "utf8") : "";
  }

  private get recordFile(): string {
    return join(this.dir, "recorded");
  }

  /** Press keys, in tmux's names: "Space", "Down", "Enter", "C-c", or literal text such as "y". */
  press(...keys: string[]): void {
    for (const key of keys) this.tmux("send-keys", "-t", "cli", key);
  }

  /** The whole screen and its scrollback as plain text; with `escapes`, colours kept as ANSI codes. */
  screen(escapes = false): string {
    const args = ["capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "cli", ...(escapes ? ["-e"] : [])];
    return this.tmux(...args)
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .trimEnd();
  }

  /** The visible screen only (no scrollback), as plain text: what a screen clear would have wiped. */
  visible(): string {
    return this.tmux("capture-pane", "-p", "-J", "-t", "cli")
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .trimEnd();
  }

  /** The paste buffers' contents: an OSC 52 clipboard write that reached the terminal shows up here. */
  buffers(): string[] {
    const names = this.tmux("list-buffers", "-F", "#{buffer_name}").split("\n").filter(Boolean);
    return names.map((name) => this.tmux("show-buffer", "-b", name));
  }

  /** Wait until the screen shows `pattern`; fails with the screen when it does not within `ms`. */
  async waitFor(pattern: RegExp | string, ms = 20_000): Promise<string> {
    const seen = (text: string) => (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text));
    // Stops early once the command has ended: then nothing more will be drawn.
    await eventually(() => seen(this.screen()) || this.exitStatus() !== undefined, {
      deadline: ms,
      interval: 50,
      what: String(pattern),
    }).catch(() => undefined);
    // One last look: the command may have printed it as it ended.
    const last = this.screen();
    if (seen(last)) return last;
    throw new Error(`The terminal never showed ${pattern}. Screen:\n${last}`);
  }

  /** The command's exit status once it has ended, else undefined. */
  exitStatus(): number | undefined {
    if (!existsSync(this.statusFile)) return undefined;
    const text = readFileSync(this.statusFile, "utf8").trim();
    return text ? Number(text) : undefined;
  }

  /** Wait for the command to end and return its exit status. */
  async exited(ms = 25_000): Promise<number> {
    return eventually(() => this.exitStatus(), { deadline: ms, interval: 50, what: "the command to end" }).catch((error: Error) => {
      throw new Error(`${error.message}. Screen:\n${this.screen()}`);
    });
  }

  /** Stop the tmux server and remove its files. */
  close(): void {
    spawnSync("tmux", ["-S", this.socket, "kill-server"]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
