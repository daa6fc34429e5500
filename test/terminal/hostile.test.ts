// The hostile corpus at a real terminal (tmux, which honours OSC 52 clipboard writes here): after
// pending, the picker and show, the clipboard is still empty and the screen was never cleared. A
// control run first prints the same text raw, to prove this terminal would have acted on it.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { HOSTILE, hostileInput } from "../support/hostile.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");
const stack = uniqueStackName("tty-hostile");
const EVIL = HOSTILE.map((s) => s.text).join(" ");
const EVIL_SHORT = HOSTILE.slice(0, 8)
  .map((s) => s.text)
  .join(" ");
/** Printed by the control run before the corpus; still on screen unless something cleared it. */
const MARKER = "a line before the attack";
let env: Record<string, string | undefined>;
let open: Terminal | undefined;

/** `approvals <args>` in a terminal tall enough that nothing scrolls off the visible screen. */
function terminal(args: string[]): Terminal {
  open = Terminal.run([...args, "--stack-name", stack], { env, rows: 120, columns: 200 });
  return open;
}

/**
 * The clipboard stayed empty, a line printed before the hostile text is still on the visible screen
 * (tmux keeps the very first line of a finished pane in its history only, so an earlier one is chosen),
 * and the attack shows as text.
 */
function expectUntouched(tty: Terminal, before: RegExp): void {
  expect(tty.buffers()).toEqual([]);
  const screen = tty.visible();
  expect(screen).toMatch(before);
  expect(screen).toContain("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
}

const title = tmux ? "hostile text at a real terminal (tmux)" : "hostile text at a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    env = { ...cliEnv(), NO_COLOR: undefined };
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    for (const name of ["t-waiting", "t-failed"]) {
      const started = await runCli(["start", "--input", "-", "--name", name, "--stack-name", stack], { env, input: hostileInput() });
      expect(started.code, started.stderr).toBe(0);
    }
    const failed = await runCli(["fail", "t-failed", "--error", EVIL_SHORT, "--cause", EVIL, "--yes", "--stack-name", stack], { env });
    expect(failed.code, failed.stderr).toBe(0);
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("control: the same text printed raw writes the clipboard and clears the screen", async () => {
    const raw = `first line\n${MARKER}\n${EVIL}\n`;
    // The pane stays open after printing: bytes written by a process that has already exited can reach
    // tmux after it marked the pane dead (under load it then never acted on them). Its effect is awaited.
    const print = ["sh", "-c", 'printf "%s" "$1" && exec sleep 60', "sh", raw];
    open = Terminal.run([], { env: { PATH: process.env.PATH }, rows: 120, command: print });
    const term = open;
    await eventually(() => term.buffers().includes("echo pwned") && !term.visible().includes(MARKER), {
      deadline: 20_000,
      what: "tmux to act on the raw sequences",
    });
    expect(open.buffers()).toEqual(["echo pwned"]);
    expect(open.visible()).not.toContain(MARKER);
  });

  it("pending", async () => {
    const tty = terminal(["pending"]);
    expect(await tty.exited()).toBe(0);
    expectUntouched(tty, /^t-waiting\s+\d+ sec ago/m);
  });

  it("show, with the input, the error and cause, the graph and the timeline", async () => {
    const tty = terminal(["show", "t-failed"]);
    expect(await tty.exited()).toBe(0);
    expectUntouched(tty, /^\s+started\s+\d{4}-/m);
    expect(tty.visible()).toMatch(/error\s+\\u001b\]52/);
  });

  it("deploy's email prompt: a template's ConstraintDescription in its refusal of an address", async () => {
    // A template from elsewhere: its constraint text carries an OSC 52 clipboard write.
    const bundled = readFileSync(resolve(import.meta.dirname, "../../templates/human-approval.yaml"), "utf8");
    const evil = bundled.replace(
      "ConstraintDescription: Must be a valid email address.",
      'ConstraintDescription: "\\e]52;c;ZWNobyBwd25lZA==\\a"',
    );
    expect(evil).not.toBe(bundled);
    const template = join(mkdtempSync(join(tmpdir(), "approvals-evil-")), "evil.yaml");
    writeFileSync(template, evil);
    const tty = Terminal.run(["deploy", "--template", template, "--stack-name", uniqueStackName("tty-evil")], { env, rows: 120 });
    open = tty;
    await tty.waitFor("Email address that receives the approval requests");
    tty.press("not-an-address", "Enter");
    await tty.waitFor("does not match the template's AllowedPattern");
    expect(tty.buffers()).toEqual([]);
    expect(tty.visible()).toContain("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
    tty.press("C-c");
    expect(await tty.exited()).toBe(130);
  });

  it("the approve picker's choices, then Ctrl-C", async () => {
    const tty = terminal(["approve"]);
    await tty.waitFor("Executions to approve");
    expect(tty.buffers()).toEqual([]);
    expect(tty.visible()).toMatch(/t-waiting\s+\\u001b\]52;c;/);
    tty.press("C-c");
    expect(await tty.exited()).toBe(130);
    expect(tty.buffers()).toEqual([]);
  });
});
