// `start --input -` at a terminal: it says it reads standard input, and the first Ctrl-C ends it
// (exit 130) with nothing sent. A recording proxy stands in front of the emulator to see that.
import { afterEach, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint } from "../support/cli.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");
let open: Terminal | undefined;
let proxy: EmulatorProxy | undefined;

afterEach(async () => {
  open?.close();
  open = undefined;
  await proxy?.stop();
  proxy = undefined;
});

const title = tmux ? "start --input - at a terminal (tmux)" : "start --input - at a terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  it("says it reads standard input until Ctrl-D, and the first Ctrl-C exits 130 with nothing sent", async () => {
    proxy = await startProxy({ target: endpoint() });
    open = Terminal.run(["start", "--input", "-", "--name", "typed"], { env: { ...cliEnv(), AWS_ENDPOINT_URL: proxy.endpoint } });
    await open.waitFor("Reading the input from standard input: end it with Ctrl-D (Ctrl-C cancels).");
    open.press('{"Comment": "half typed');
    open.press("C-c");

    expect(await open.exited(10_000)).toBe(130);
    expect(open.screen()).toContain("error: Interrupted: nothing was sent.");
    expect(proxy.stats.total).toBe(0);
  });
});
