// `pending --watch` at a real terminal (tmux, which honours OSC 52 clipboard writes here): an execution
// that another user fails with an OSC 52 sequence in its error leaves the live view as a `- name failed`
// line. Every byte the CLI wrote is recorded before the terminal acts on it: no ESC ] among them.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, uniqueStackName } from "../support/cli.js";
import { hasTmux, Terminal } from "./tmux.js";

const tmux = hasTmux();
const stack = uniqueStackName("tty-watch");
const OSC52 = "\u001b]52;c;ZWNobyBwd25lZA==\u0007";
let env: Record<string, string | undefined>;
let open: Terminal | undefined;

const title = tmux ? "pending --watch at a real terminal (tmux)" : "pending --watch at a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    env = { ...cliEnv(), NO_COLOR: undefined };
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", "w-doomed", "--stack-name", stack], {
      env,
      input: '{"Comment":"doomed"}',
    });
    expect(started.code, started.stderr).toBe(0);
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("shows an error that carries OSC 52 escaped: the raw bytes hold no ESC ], the clipboard stays empty", async () => {
    const tty = Terminal.run(["pending", "--watch", "--interval", "2", "--stack-name", stack], { env, rows: 40, columns: 160 });
    open = tty;
    tty.record();
    await tty.waitFor(/w-doomed\s+\d+ sec ago/);
    const failed = await runCli(["fail", "w-doomed", "--error", `Boom${OSC52}`, "--cause", `why${OSC52}`, "--yes", "--stack-name", stack], {
      env,
    });
    expect(failed.code, failed.stderr).toBe(0);
    await tty.waitFor("w-doomed failed");
    tty.press("C-c");
    expect(await tty.exited()).toBe(0);
    const bytes = tty.recorded();
    expect(bytes).not.toContain("\u001b]");
    expect(bytes).toContain("failed Boom\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
    expect(tty.buffers()).toEqual([]);
  });

  it("redraws in place a name of Hangul fillers, which the width tables count as nothing and a terminal as two columns each", async () => {
    const fillers = `w-${"\u3164".repeat(40)}`;
    const started = await runCli(["start", "--input", "-", "--name", fillers, "--stack-name", stack], { env, input: '{"Comment":"wide"}' });
    expect(started.code, started.stderr).toBe(0);
    const tty = Terminal.run(["pending", "--watch", "--interval", "2", "--stack-name", stack], { env, rows: 40, columns: 80 });
    open = tty;
    await tty.waitFor(/ wide$/m);
    // Three draws: each erases the lines the one before drew, so one table is left.
    await tty.waitFor(/next in 1 s/);
    await tty.waitFor(/next in 2 s/);
    await tty.waitFor(/next in 1 s/);
    // What the person sees: the last frame alone, no line of an earlier one left above it.
    const screen = tty.visible();
    tty.press("C-c");
    expect(await tty.exited()).toBe(0);
    expect(screen.match(/^\s*NAME\s+STARTED/gm), screen).toHaveLength(1);
    await runCli(["reject", "--yes", "--stack-name", stack, "--", fillers], { env });
  });
});
