// The output layer's boundary: whatever a renderer forgets to neutralise, the lines Output writes carry
// no control but the program's own colour; messages, hints, tables, progress and JSON are checked here
// with the hostile corpus, in process. Integration and terminal tests send the same text through AWS.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { describeEnd, previewLines, question } from "../../src/commands/verdict-prompts.js";
import { ApprovalsError, UsageError } from "../../src/errors.js";
import { safeOutput } from "../../src/lib/safe-text.js";
import { decisionLines } from "../../src/output/decision-block.js";
import { displayWidth } from "../../src/output/display-width.js";
import { columns, summarizeInput } from "../../src/output/format.js";
import { drawWorkflow } from "../../src/output/graph.js";
import { Output } from "../../src/output/output.js";
import { formatStackEvent, stackProgressText } from "../../src/output/stack-report.js";
import { drawTimeline } from "../../src/output/timeline.js";
import { HOSTILE, hostileInput, rawControls } from "../support/hostile.js";

const WORKFLOW = { approvedStatus: "Approved! Task approved by a@b.c", rejectedStatus: "Rejected! Task rejected by a@b.c" };

function capture(colour: boolean) {
  let stdout = "";
  let stderr = "";
  const stream = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        add(String(chunk));
        done();
      },
    });
  const streams = {
    stdout: stream((s) => {
      stdout += s;
    }),
    stderr: stream((s) => {
      stderr += s;
    }),
    stdin: process.stdin,
  };
  const out = new Output(streams, {}, colour ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" });
  return { out, streams, text: () => ({ stdout, stderr }) };
}

const SGR_OF_OUR_OWN = /\u001b\[(?:1|2|22|3[0-9]|39)m/g;

describe("safeOutput", () => {
  it.each(HOSTILE.map((s) => [s.name, s.text] as const))("keeps no control of %s but colour", (_name, text) => {
    expect(rawControls(safeOutput(text, { colour: true, lines: false }))).toEqual([]);
    expect(safeOutput(text, { colour: false })).not.toContain("\u001b");
  });

  it("keeps colour sequences only when colour is on, and line breaks only for blocks", () => {
    expect(safeOutput("\u001b[31merror:\u001b[39m a\nb\tc", { colour: true })).toBe("\u001b[31merror:\u001b[39m a\nb\tc");
    expect(safeOutput("\u001b[31merror:\u001b[39m a\nb", { colour: false })).toBe("\\u001b[31merror:\\u001b[39m a\nb");
    expect(safeOutput("a\nb\rc", { colour: true, lines: false })).toBe("a\\nb\\rc");
  });
});

describe("Output writes no control but its own colour", () => {
  for (const colour of [false, true]) {
    it(`result, info and warn (colour ${colour ? "on" : "off"})`, () => {
      const { out, text } = capture(colour);
      for (const sample of HOSTILE) {
        out.result(`${out.style.bold("name")} ${sample.text}`);
        out.info(sample.text);
        out.warn(sample.text);
      }
      const { stdout, stderr } = text();
      expect(rawControls(stdout + stderr)).toEqual([]);
      if (!colour) expect(stdout + stderr).not.toContain("\u001b");
      else expect(stdout).toContain("\u001b[1mname\u001b[22m");
    });

    it(`errors and hints, even their colour codes (colour ${colour ? "on" : "off"})`, () => {
      const { out, text } = capture(colour);
      for (const sample of HOSTILE) out.error(new UsageError(`Execution ${sample.text} does not exist.`, `Try ${sample.text}`));
      out.error(new Error(HOSTILE[0]!.text));
      const { stderr } = text();
      expect(rawControls(stderr)).toEqual([]);
      // The message is one line per error: a forged second line stays on the first.
      expect(stderr.split("\n").filter((line) => line.includes("forged second line"))).toHaveLength(2);
      // Only the program's own `error:` and `hint:` colours: the sample's red and reset are shown as text.
      expect(stderr.replace(SGR_OF_OUR_OWN, "")).not.toContain("\u001b");
      expect(stderr).toContain("\\u001b[31mred\\u001b[0m");
    });
  }

  it("the live view's region: lines drawn raw keep only colour; the erase and the bell are its own", () => {
    const { out, text } = capture(true);
    const region = out.liveRegion();
    region.draw(
      [`- t-failed failed ${HOSTILE[0]!.text}`],
      HOSTILE.map((s) => s.text),
    );
    // One terminal line per line drawn (a line break inside one is escaped), so the erase count holds.
    expect(text().stdout.split("\n")).toHaveLength(1 + HOSTILE.length + 1);
    region.draw([], ["frame"]);
    region.bell();
    const { stdout } = text();
    const own = stdout.replace(`\u001b[${HOSTILE.length}F\u001b[0J`, "").replace(/\u0007$/, "");
    expect(rawControls(own)).toEqual([]);
    expect(stdout).toContain("failed \\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
  });

  it("--debug's chain and stack are neutralised too", () => {
    const { streams, text } = capture(false);
    const debug = new Output(streams, { debug: true }, { NO_COLOR: "1" });
    debug.error(new ApprovalsError("failed", undefined, new Error(`cause ${HOSTILE[0]!.text}`)));
    expect(rawControls(text().stderr)).toEqual([]);
    expect(text().stderr).toContain("caused by Error: cause \\u001b]52;");
  });

  it("--json is the exact data, with C1 and bidi characters escaped", () => {
    const { out, text } = capture(true);
    const data = JSON.parse(hostileInput());
    out.jsonResult(data);
    expect(rawControls(text().stdout)).toEqual([]);
    expect(text().stdout).not.toMatch(/[\u009b\u202e]/);
    expect(JSON.parse(text().stdout)).toEqual(data);
  });
});

describe("renderers neutralise before they colour and measure", () => {
  it("a table measures the escaped text, so columns stay aligned", () => {
    const lines = columns(
      ["NAME", "NOTE"],
      HOSTILE.map((s) => [s.text, "x"]),
    ).split("\n");
    expect(rawControls(lines.join("\n"))).toEqual([]);
    const noteColumn = lines.map((line) => displayWidth(line) - 1);
    expect(new Set(noteColumn.slice(1)).size).toBe(1);
  });

  it("the comment summary is escaped before it is shortened", () => {
    const summary = summarizeInput(hostileInput(), 60);
    expect(summary.startsWith("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007")).toBe(true);
    expect(rawControls(summary)).toEqual([]);
  });

  it("the decision preview, question and end of a followed execution", () => {
    const { out } = capture(true);
    const evil = HOSTILE.map((s) => s.text).join(" ");
    const lines = [
      ...previewLines({ verdict: { kind: "fail", error: evil, cause: evil }, names: [evil, "b"], idPerExecution: false }, out.style),
      ...previewLines({ verdict: { kind: "approve", output: evil }, names: [evil], idPerExecution: false }, out.style),
      question("approve", [evil]),
      describeEnd({ finished: true, status: "FAILED", lastState: evil, error: evil } as never, 60),
      describeEnd({ finished: true, status: "SUCCEEDED", branch: evil } as never, 60),
      describeEnd({ finished: false, lastState: evil } as never, 60),
    ];
    expect(rawControls(lines.join("\n"))).toEqual([]);
    expect(lines.join("\n").replace(SGR_OF_OUR_OWN, "")).not.toContain("\u001b");
    // The fail preview shows the error as JSON that reads back to exactly what will be sent.
    expect(JSON.parse(lines[1]!.replace(SGR_OF_OUR_OWN, "").replace(/^ {2}error {3}/, ""))).toBe(evil);
  });

  it("show's decision block: whoever sent the decision wrote its record", () => {
    const { out } = capture(true);
    const evil = HOSTILE.map((s) => s.text).join(" ");
    const record = { decidedBy: evil, via: evil, reason: `${evil}\n${evil}`, decisionId: evil };
    const blank = { error: null, cause: null, namedEmail: null, decidedAt: null };
    const lines = [
      ...decisionLines({ kind: "succeeded", ...record, ...blank, status: evil }, WORKFLOW, out.style, (t) => t),
      ...decisionLines(
        { kind: "succeeded", ...record, ...blank, decidedBy: null, decisionId: null, status: evil, namedEmail: evil },
        WORKFLOW,
        out.style,
        (t) => t,
      ),
      ...decisionLines({ kind: "failed", ...record, ...blank, status: null, error: evil, cause: evil }, WORKFLOW, out.style, (t) => t),
    ];
    expect(rawControls(lines.join("\n"))).toEqual([]);
    expect(lines.join("\n").replace(SGR_OF_OUR_OWN, "")).not.toContain("\u001b");
  });
});

describe("what a definition, a history and a stack event carry", () => {
  const evil = HOSTILE.map((s) => s.text).join(" ");
  const { out } = capture(true);
  const own = (text: string) => text.replace(SGR_OF_OUR_OWN, "");

  it("state names, types and Choice conditions in the graph", () => {
    const states = {
      [`Ask ${evil}`]: { Type: "Choice", Choices: [{ Variable: "$.x", StringEquals: evil, Next: evil }], Default: evil },
      [evil]: { Type: evil, End: true },
    };
    const lines = drawWorkflow({ startAt: `Ask ${evil}`, states } as never, out.style).join("\n");
    expect(rawControls(lines)).toEqual([]);
    expect(own(lines)).not.toContain("\u001b");
  });

  it("timeline rows", () => {
    const entry = { id: 1, timestamp: "2026-01-01T00:00:00.000Z", elapsedMs: 0, type: evil, state: evil, detail: evil };
    const lines = drawTimeline([entry], out.style).join("\n");
    expect(rawControls(lines)).toEqual([]);
    expect(own(lines)).not.toContain("\u001b");
  });

  it("stack events, their status reasons, and the spinner's text", () => {
    const event = {
      ResourceStatus: "CREATE_FAILED" as const,
      LogicalResourceId: evil,
      ResourceType: evil,
      ResourceStatusReason: evil,
      Timestamp: new Date(0),
      StackId: "s",
      EventId: "e",
      StackName: "s",
    };
    const line = formatStackEvent(out, event);
    expect(rawControls(line)).toEqual([]);
    expect(own(line)).not.toContain("\u001b");
    expect(line).toContain("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
    expect(rawControls(stackProgressText("Creating", "s", event))).toEqual([]);
  });
});

describe("the output layer is the only way to a terminal", () => {
  // Output (and the spinner it hands its stderr and already-neutralised text to) hold the streams; a
  // view that wrote to a stream itself would put what AWS said on the terminal unchecked.
  const BOUNDARY = new Set(["src/output/output.ts", "src/output/spinner.ts"]);
  const root = join(__dirname, "../..");
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
    );

  it("no other module writes to a stream, reaches for the process's, or logs to the console", () => {
    const offenders: string[] = [];
    for (const file of sources(join(root, "src"))) {
      const path = relative(root, file);
      if (BOUNDARY.has(path)) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\.write\(|\.streams\b|process\.std(out|err)\b|\bconsole\./.test(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
