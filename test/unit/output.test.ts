import { Writable } from "node:stream";
import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { describeEnd, previewLines, question } from "../../src/commands/verdict-prompts.js";
import { decideColor, Output, type OutputFlags, type Streams } from "../../src/output/output.js";

/** A stream that keeps what is written; `tty` makes it claim to be a terminal. */
function sink(tty: boolean) {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as Writable & { isTTY?: boolean; columns?: number; cursorTo?: unknown; clearLine?: unknown; moveCursor?: unknown };
  if (tty) {
    Object.assign(stream, { isTTY: true, columns: 100 });
    // What ora calls to redraw; recorded as markers.
    const marker =
      (name: string) =>
      (...args: unknown[]) => {
        chunks.push(`<${name}>`);
        const callback = args.at(-1);
        if (typeof callback === "function") callback();
        return true;
      };
    stream.cursorTo = marker("cursorTo");
    stream.clearLine = marker("clearLine");
    stream.moveCursor = marker("moveCursor");
  }
  return { stream, text: () => chunks.join("") };
}

/** Wait until `text()` shows `what`: the spinner loads ora first, which takes a while on a busy machine. */
async function shown(text: () => string, what: string): Promise<void> {
  for (let waited = 0; !text().includes(what); waited += 10) {
    if (waited > 10_000) throw new Error(`never shown: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function streams(options: { stdout?: boolean; stderr?: boolean; stdin?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = sink(options.stdout ?? false);
  const stderr = sink(options.stderr ?? false);
  const value: Streams = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: { isTTY: options.stdin ?? false } as Streams["stdin"],
  };
  return { value, env: options.env ?? {}, stdout, stderr };
}

/** An Output over test streams and their environment. */
function outputOf(s: ReturnType<typeof streams>, flags: OutputFlags = {}): Output {
  return new Output(s.value, flags, s.env);
}

describe("decideColor", () => {
  it.each([
    [{}, {}, true, true],
    [{}, {}, false, false],
    [{ color: false }, {}, true, false],
    [{}, { NO_COLOR: "1" }, true, false],
    [{}, { NO_COLOR: "" }, true, true],
    [{}, { FORCE_COLOR: "1" }, false, true],
    [{}, { FORCE_COLOR: "" }, false, true],
    [{}, { FORCE_COLOR: "0" }, true, false],
    [{}, { FORCE_COLOR: "false" }, true, false],
    [{}, { FORCE_COLOR: "1", NO_COLOR: "1" }, false, false],
    [{ color: false }, { FORCE_COLOR: "3" }, false, false],
  ])("flags %o, env %o, terminal %s → %s", (flags, env, terminal, expected) => {
    expect(decideColor(flags, env, terminal)).toBe(expected);
  });
});

describe("Output decides once what the terminal allows", () => {
  it("animates only when stdout and stderr are terminals, outside CI, without --json", () => {
    const tty = { stdout: true, stderr: true, stdin: true };
    expect(outputOf(streams(tty)).animate).toBe(true);
    expect(outputOf(streams({ ...tty, stdout: false })).animate).toBe(false);
    expect(outputOf(streams({ ...tty, stderr: false })).animate).toBe(false);
    expect(outputOf(streams({ ...tty, env: { CI: "true" } })).animate).toBe(false);
    expect(outputOf(streams({ ...tty, env: { TERM: "dumb" } })).animate).toBe(false);
    expect(outputOf(streams(tty), { json: true }).animate).toBe(false);
  });

  it("neither colours nor animates with NO_COLOR or --no-color; FORCE_COLOR changes only colour", () => {
    const tty = { stdout: true, stderr: true, stdin: true };
    for (const out of [outputOf(streams({ ...tty, env: { NO_COLOR: "1" } })), outputOf(streams(tty), { color: false })]) {
      expect(out.color).toBe(false);
      expect(out.animate).toBe(false);
    }
    const piped = outputOf(streams({ env: { FORCE_COLOR: "1" } }));
    expect(piped.color).toBe(true);
    expect(piped.animate).toBe(false);
  });

  it("asks only at a terminal, outside CI, without --yes", () => {
    const tty = { stdout: true, stderr: true, stdin: true };
    expect(outputOf(streams(tty)).interactive).toBe(true);
    expect(outputOf(streams({ ...tty, stdin: false })).interactive).toBe(false);
    expect(outputOf(streams(tty), { yes: true }).interactive).toBe(false);
    expect(outputOf(streams({ ...tty, env: { CI: "1" } })).interactive).toBe(false);
  });

  it("refuses to confirm without a terminal, with a hint to pass --yes", async () => {
    const out = outputOf(streams());
    await expect(out.confirm("Create?", "create the stack")).rejects.toMatchObject({
      message: "Refusing to create the stack without confirmation: no terminal to ask on.",
      hint: "Pass --yes to confirm non-interactively.",
      exitCode: 2,
    });
    await expect(outputOf(streams(), { yes: true }).confirm("Create?")).resolves.toBeUndefined();
  });

  it("progress where animation is off shows nothing but the lines logged", () => {
    const { value, stderr } = streams();
    const progress = new Output(value).progress("Working…", { elapsed: true });
    progress.update("Still working…");
    progress.log("12:00:00  CREATE_COMPLETE  Topic");
    progress.stop();
    expect(stderr.text()).toBe("12:00:00  CREATE_COMPLETE  Topic\n");
  });

  it("a spinner on a terminal appears after its delay, ticks the seconds and keeps logged lines whole", async () => {
    const { value, env, stderr } = streams({ stdout: true, stderr: true, env: { FORCE_COLOR: "0" } });
    const progress = new Output(value, {}, env).progress("Creating stack", { elapsed: true, delayMs: 10 });
    await shown(stderr.text, "Creating stack");
    progress.update("Creating stack · Topic CREATE_IN_PROGRESS");
    progress.log("done line");
    progress.stop();
    const text = stderr.text();
    expect(text).toMatch(/Creating stack 0s/);
    expect(text).toContain("Creating stack · Topic CREATE_IN_PROGRESS");
    // The spinner is cleared before the line and drawn again after it.
    expect(text).toMatch(/<clearLine>done line\n<cursorTo>\S Creating stack/);
    // With colour off the spinner's frames are plain too.
    expect(text).not.toMatch(/\u001b\[3\dm/);
  });

  it("other stderr lines (warnings, --debug) go above a running spinner, not through it", async () => {
    const { value, env, stderr } = streams({ stdout: true, stderr: true, env: { FORCE_COLOR: "0" } });
    const out = new Output(value, { debug: true }, env);
    const progress = out.progress("Reading", { delayMs: 10 });
    await shown(stderr.text, "Reading");
    out.debug("sfn.ListExecutions 200");
    progress.stop();
    out.info("after");
    expect(stderr.text()).toMatch(/<clearLine>\[debug\] sfn\.ListExecutions 200\n<cursorTo>\S Reading/);
    expect(stderr.text()).toMatch(/after\n$/);
  });

  it("a spinner never appears for work shorter than its delay", async () => {
    const { value, stderr } = streams({ stdout: true, stderr: true });
    const progress = new Output(value).progress("Quick");
    await new Promise((resolve) => setTimeout(resolve, 20));
    progress.stop();
    expect(stderr.text()).toBe("");
  });
});

describe("decision wording", () => {
  const plain = new Chalk({ level: 0 });

  it("previews the call, its exact payload and every execution", () => {
    expect(
      previewLines(
        {
          verdict: { kind: "approve", output: '{"Status":"Approved! Task approved by a@b.c"}' },
          names: ["one", "two"],
          idPerExecution: false,
        },
        plain,
      ),
    ).toEqual([
      "SendTaskSuccess to 2 executions:",
      '  output  {"Status":"Approved! Task approved by a@b.c"}',
      "  to      one",
      "          two",
    ]);
    expect(
      previewLines({ verdict: { kind: "fail", error: "Stop", cause: 'said "no"' }, names: ["x"], idPerExecution: false }, plain),
    ).toEqual(["SendTaskFailure to 1 execution:", '  error   "Stop"', '  cause   "said \\"no\\""', "  to      x"]);
    expect(question("reject", ["x"])).toBe("Reject x?");
    expect(question("approve", ["x", "y", "z"])).toBe("Approve 3 executions?");
  });

  it("says where a followed execution ended", () => {
    const base = { finished: true, path: [], stopDate: null, error: null, cause: null };
    expect(describeEnd({ ...base, status: "SUCCEEDED", branch: "ApprovedPassState", lastState: "ApprovedPassState" }, 300)).toBe(
      "→ ApprovedPassState, SUCCEEDED",
    );
    expect(describeEnd({ ...base, status: "FAILED", branch: null, lastState: "Lambda Callback", error: "Stop" }, 300)).toBe(
      "→ FAILED in Lambda Callback (Stop)",
    );
    expect(describeEnd({ ...base, finished: false, status: "RUNNING", branch: null, lastState: "Notify" }, 60)).toBe(
      "→ still RUNNING in Notify after 60 s",
    );
  });
});
