// `pending --watch --all-stacks` at a real terminal (tmux), on an emulator of its own (other tests'
// stacks would be listed too): every stack's waiting executions in one live table with their stack,
// arrivals marked, departures noted as `stack/name`, Ctrl-C ending it as the one-stack watch does.
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../scripts/emulator.mjs";
import { waitForToken } from "../integration/sfn-helpers.js";
import { cliEnv, runCli, tempHome, uniqueStackName } from "../support/cli.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");
const first = uniqueStackName("watch-a");
const second = uniqueStackName("watch-b");
let emulator: Emulator | undefined;
let env: Record<string, string | undefined>;
let sfn: SFNClient;
let open: Terminal | undefined;

/** Start an execution in a stack and wait until it waits for its token. */
async function startWaiting(stack: string, name: string): Promise<void> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], {
    env,
    input: JSON.stringify({ Comment: `${name} comment` }),
  });
  expect(started.code, started.stderr).toBe(0);
  await waitForToken(sfn, JSON.parse(started.stdout).executionArn);
}

describe.skipIf(!tmux)("pending --watch --all-stacks at a real terminal (tmux)", () => {
  beforeAll(async () => {
    emulator = await startEmulator();
    env = { ...cliEnv({ AWS_ENDPOINT_URL: emulator.endpoint, HOME: tempHome() }), NO_COLOR: undefined, FORCE_COLOR: "0" };
    sfn = new SFNClient({
      endpoint: emulator.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    for (const stack of [first, second]) {
      const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
      expect(deployed.code, deployed.stderr).toBe(0);
    }
    await startWaiting(first, "a-early");
    await startWaiting(second, "b-early");
  }, 180_000);

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it("shows every stack's waiting executions with their stack, marks arrivals, notes departures; Ctrl-C exits 0", async () => {
    const term = Terminal.run(["pending", "--watch", "--all-stacks", "--interval", "2"], { env, columns: 160, rows: 30 });
    open = term;
    await term.waitFor(/2 waiting · updated/);
    let screen = term.visible();
    expect(screen).toMatch(/^ +STACK +NAME +STARTED +WAITING FOR +TIME LEFT +COMMENT/m);
    expect(screen).toMatch(new RegExp(`^ +${first} +a-early +.*a-early comment`, "m"));
    expect(screen).toMatch(new RegExp(`^ +${second} +b-early +.*b-early comment`, "m"));

    await startWaiting(second, "b-late");
    await term.waitFor(/3 waiting · updated/);
    screen = term.visible();
    expect(screen).toMatch(new RegExp(`^\\+ +${second} +b-late +.*b-late comment`, "m"));

    const decided = await runCli(["reject", `${first}/a-early`, "--yes"], { env });
    expect(decided.code, decided.stderr).toBe(0);
    const departed = new RegExp(`^\\d\\d:\\d\\d:\\d\\d - ${first}/a-early rejected$`, "m");
    await term.waitFor(departed);
    screen = term.visible();
    expect(screen).toMatch(departed);
    expect(screen).toMatch(/^2 waiting · updated/m);
    expect(screen).not.toMatch(new RegExp(`^ +${first} +a-early `, "m"));
    // Redrawn in place: one header and one status line, however many refreshes ran.
    expect(screen.match(/^ +STACK +NAME +STARTED/gm)).toHaveLength(1);
    expect(screen.match(/waiting · updated/g)).toHaveLength(1);

    term.press("C-c");
    expect(await term.exited()).toBe(0);
    expect(term.screen()).toMatch(/^Stopped watching\.$/m);
  });

  it("keeps a list taller than the screen under its header, and leaves no stale frame in the scrollback", async () => {
    await startWaiting(first, "a-more");
    await startWaiting(second, "b-more");
    // 7 rows for four executions: the line saying what is watched, the header, two of them, `… 2 more`,
    // the status line and the cursor's line below (tmux keeps a screen erased from its top-left corner).
    const term = Terminal.run(["pending", "--watch", "--all-stacks", "--interval", "2"], { env, columns: 160, rows: 7 });
    open = term;
    await term.waitFor(/waiting · updated/);
    const redrawn = term.screen().match(/waiting · updated (\d\d:\d\d:\d\d)/)?.[1];
    // A second refresh, and the ticks between: each redraw would leave a copy of the frame in the scrollback.
    await term.waitFor(new RegExp(`waiting · updated (?!${redrawn})`), 10_000);
    const visible = term.visible().split("\n");
    expect(visible[0]).toMatch(/^Watching every human-approval stack/);
    expect(visible[1]).toMatch(/^ +STACK +NAME +STARTED/);
    expect(visible[4]).toBe("… 2 more");
    expect(visible[5]).toMatch(/^4 waiting · updated/);
    expect(term.screen().match(/^ +STACK +NAME +STARTED/gm), term.screen()).toHaveLength(1);
    term.press("C-c");
    expect(await term.exited()).toBe(0);
  });
});
