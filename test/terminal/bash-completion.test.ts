// bash completion in a real interactive bash (tmux): execution names are untrusted, and a name such as
// `x$(touch PWNED)y` (moto accepts `$`; AWS accepts `!`, which bash expands from history) must be
// inserted by Tab as one quoted word, so that Enter runs nothing but `approvals`.

import { existsSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitForToken } from "../integration/sfn-helpers.js";
import { BIN, cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { hasTmux, Terminal } from "./tmux.js";

const tmux = hasTmux();
const stack = uniqueStackName("tty-compl");
const NAMES = ["x$(touch PWNED)y", "go!1"];
/** A stack whose only waiting execution has a name (Step Functions allows it) that reads as an option. */
const dashStack = uniqueStackName("tty-dash");
const DASH_NAME = `--stack-name=${stack}`;
let env: Record<string, string | undefined>;
let dir: string;
let open: Terminal | undefined;

/** An interactive bash with the completion script loaded, in a folder where `PWNED` would appear. */
function bash(): Terminal {
  open = Terminal.run([], { env, command: ["bash", "--noprofile", "--rcfile", join(dir, "bashrc"), "-i"] });
  return open;
}

/**
 * Type `line`, press Tab and wait until Tab has added to it, press Enter and wait for the command to
 * end; returns the command line as Tab left it.
 */
async function tabEnter(tty: Terminal, line: string): Promise<string> {
  await tty.waitFor(/^\$$/m);
  tty.press(line, "Tab");
  const typed = `$ ${line}`;
  const screen = await tty.waitFor(new RegExp(`^${typed.replace(/[$()\\]/g, "\\$&")}.+`, "m"));
  tty.press("Enter", "echo finished-$((6*7))", "Enter");
  await tty.waitFor(/^finished-42$/m);
  return (
    screen
      .split("\n")
      .filter((l) => l.startsWith(typed))
      .at(-1) ?? ""
  );
}

const title = tmux ? "bash completion at a real terminal (tmux)" : "bash completion at a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    env = cliEnv();
    dir = mkdtempSync(join(tmpdir(), "approvals-bash-"));
    const bin = mkdtempSync(join(tmpdir(), "approvals-bin-"));
    symlinkSync(BIN, join(bin, "approvals"));
    env.PATH = [bin, dirname(process.execPath), process.env.PATH].join(delimiter);
    env.HISTFILE = join(dir, "history");
    const script = await runCli(["completion", "bash"], { env });
    writeFileSync(join(dir, "approvals.bash"), script.stdout);
    writeFileSync(join(dir, "bashrc"), `PS1='$ '\ncd '${dir}'\nsource '${join(dir, "approvals.bash")}'\n`);

    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
    const { sfn } = sdk();
    for (const name of NAMES) {
      const { executionArn = "" } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" }));
      await waitForToken(sfn, executionArn);
    }
    // `pending` remembers the names Tab offers.
    const pending = await runCli(["pending", "--stack-name", stack], { env });
    expect(pending.code, pending.stderr).toBe(0);

    const other = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", dashStack], { env });
    expect(other.code, other.stderr).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", DASH_NAME, "--stack-name", dashStack], { env, input: "{}" });
    expect(started.code, started.stderr).toBe(0);
    expect((await runCli(["pending", "--stack-name", dashStack], { env })).code).toBe(0);
  }, 60_000);

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("inserts a name with $(...) backslash-quoted: Enter runs no command substitution", async () => {
    const tty = bash();
    const line = await tabEnter(tty, `approvals show --stack-name ${stack} x`);
    expect(existsSync(join(dir, "PWNED"))).toBe(false);
    expect(line).toBe(`$ approvals show --stack-name ${stack} x\\$\\(touch\\ PWNED\\)y`);
  });

  it("completes a prefix typed after a quote, inside that quote", async () => {
    const tty = bash();
    const single = await tabEnter(tty, `approvals show --stack-name ${stack} 'x`);
    const double = await tabEnter(tty, `approvals show --stack-name ${stack} "x`);
    expect(existsSync(join(dir, "PWNED"))).toBe(false);
    expect(single).toBe(`$ approvals show --stack-name ${stack} 'x$(touch PWNED)y'`);
    expect(double).toBe(`$ approvals show --stack-name ${stack} "x\\$(touch PWNED)y"`);
  });

  it("inserts no name that begins with -, which Enter would run as an option, until after --", async () => {
    const tty = bash();
    await tty.waitFor(/^\$$/m);
    // Readline takes the keys in order: Z is typed once Tab's completion has finished.
    tty.press(`approvals show --stack-name ${dashStack} `, "Tab", "Z");
    await tty.waitFor(/Z$/m);
    expect(tty.screen().split("\n").at(-1)).toBe(`$ approvals show --stack-name ${dashStack} Z`);
    tty.press("C-u");
    const line = await tabEnter(tty, `approvals show --stack-name ${dashStack} -- `);
    expect(line).toBe(`$ approvals show --stack-name ${dashStack} -- ${DASH_NAME}`);
    expect(tty.screen()).toMatch(/waiting for a decision|Decide with/);
  });

  it("inserts a name with ! quoted, so history expansion leaves it alone", async () => {
    const tty = bash();
    const line = await tabEnter(tty, `approvals show --stack-name ${stack} g`);
    expect(line).toBe(`$ approvals show --stack-name ${stack} go\\!1`);
    // The name reached the CLI as typed, not with a history event in place of `!1`.
    expect(tty.screen()).toMatch(/go!1/);
    expect(tty.screen()).not.toMatch(/event not found/);
  });
});
