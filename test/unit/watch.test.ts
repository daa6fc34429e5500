import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { watchInterval } from "../../src/commands/pending-watch.js";
import type { PendingExecution } from "../../src/core/executions/waiting.js";
import { diffWaiting, type WatchSnapshot } from "../../src/core/executions/watch-waiting.js";
import { Output } from "../../src/output/output.js";
import { changeLines, LiveView } from "../../src/output/watch-view.js";
import { usageError } from "./fixtures.js";

function waiting(name: string, comment = `about ${name}`): PendingExecution {
  const at = new Date("2026-11-25T10:00:00Z");
  return {
    name,
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`,
    startDate: at,
    waitingSince: at,
    expiresAt: undefined,
    input: JSON.stringify({ Comment: comment }),
    token: "secret",
  };
}

const [a, b, c] = [waiting("a"), waiting("b"), waiting("c")] as [PendingExecution, PendingExecution, PendingExecution];
/** The default stack and no AWS flags: the commands the errors suggest carry nothing more. */
const scope = { stackName: "human-approval", aws: {} };

describe("diffWaiting", () => {
  it("finds arrivals and departures by ARN", () => {
    expect(diffWaiting([a, b], [c, b])).toEqual({ arrived: [c], left: [a] });
  });
  it("finds nothing when nothing changed, whatever the order", () => {
    expect(diffWaiting([a, b], [b, a])).toEqual({ arrived: [], left: [] });
  });
  it("treats the first listing as all arrivals against an empty one", () => {
    expect(diffWaiting([], [a])).toEqual({ arrived: [a], left: [] });
  });
});

describe("changeLines (a pipe)", () => {
  const snapshot = (s: Partial<WatchSnapshot>): WatchSnapshot => ({
    at: new Date(),
    first: false,
    pending: [],
    arrived: [],
    ended: [],
    ...s,
  });

  it("lists every waiting execution at first, oldest first", () => {
    expect(changeLines(snapshot({ first: true, pending: [b, a] }))).toEqual(["+ a  about a", "+ b  about b"]);
  });

  it("prints one line per change: departures with how they ended, then arrivals", () => {
    const lines = changeLines(
      snapshot({
        pending: [c],
        arrived: [c],
        ended: [
          { execution: a, outcome: { kind: "approved" } },
          { execution: b, outcome: { kind: "failed", error: "Withdrawn" } },
        ],
      }),
    );
    expect(lines).toEqual(["- a approved", "- b failed Withdrawn", "+ c  about c"]);
  });

  it("shows names and comments from AWS without their control characters", () => {
    const evil = waiting("x", "\u001b]52;c;bad\u0007");
    expect(changeLines(snapshot({ arrived: [evil] }))).toEqual(["+ x  \\u001b]52;c;bad\\u0007"]);
  });

  it("never prints a task token", () => {
    expect(changeLines(snapshot({ first: true, pending: [a] })).join("\n")).not.toContain("secret");
  });
  it("across stacks, names each execution stack/name, as decisions take it", () => {
    const stacks = new Map([
      [a.executionArn, "billing"],
      [c.executionArn, "releases"],
    ]);
    const lines = changeLines(snapshot({ pending: [c], arrived: [c], ended: [{ execution: a, outcome: { kind: "approved" } }], stacks }));
    expect(lines).toEqual(["- billing/a approved", "+ releases/c  about c"]);
  });
});

describe("watchInterval", () => {
  it("defaults to 10 s and takes seconds", () => {
    expect(watchInterval({ watch: true }, scope)).toBe(10_000);
    expect(watchInterval({ watch: true, interval: "2.5" }, scope)).toBe(2500);
  });
  it("refuses an interval under the ListExecutions floor, or not a number", () => {
    expect(usageError(() => watchInterval({ watch: true, interval: "1" }, scope)).message).toBe("--interval 1 is below the 2 s floor.");
    expect(usageError(() => watchInterval({ watch: true, interval: "soon" }, scope)).message).toMatch(/not a number of seconds/);
  });
  it("refuses watch options without --watch, and --json or --links with it", () => {
    expect(usageError(() => watchInterval({ interval: "5" }, scope)).message).toBe("--interval only applies with --watch.");
    expect(usageError(() => watchInterval({ bell: true }, scope)).message).toBe("--bell only applies with --watch.");
    expect(usageError(() => watchInterval({ watch: true, json: true }, scope)).message).toMatch(/--json/);
    expect(usageError(() => watchInterval({ watch: true, links: true }, scope)).message).toMatch(/--links/);
  });
});

describe("LiveView (a terminal)", () => {
  function terminal(rows = 24): { out: Output; written: () => string } {
    let text = "";
    const stdout = Object.assign(
      new Writable({
        write(chunk, _e, done) {
          text += String(chunk);
          done();
        },
      }),
      { isTTY: true, columns: 80, rows },
    );
    const stderr = new Writable({ write: (_c, _e, done) => done() });
    const out = new Output({ stdout, stderr, stdin: { isTTY: false } as unknown as NodeJS.ReadableStream }, {}, { NO_COLOR: "1" });
    return { out, written: () => text };
  }
  const now = new Date("2026-11-25T10:05:00Z");
  const snap = (s: Partial<WatchSnapshot>): WatchSnapshot => ({ at: now, first: false, pending: [], arrived: [], ended: [], ...s });

  it("across stacks, shows the STACK column and names a departure stack/name", () => {
    const { out, written } = terminal();
    const stacks = new Map([
      [a.executionArn, "billing"],
      [b.executionArn, "releases"],
    ]);
    const view = new LiveView(out, 10_000, false);
    view.update(snap({ first: true, pending: [a, b], stacks }), now);
    const first = written();
    expect(first).toMatch(/^ +STACK +NAME +STARTED/m);
    expect(first).toMatch(/^ +billing +a +/m);
    view.update(snap({ pending: [b], ended: [{ execution: a, outcome: { kind: "rejected" } }], stacks }), now);
    expect(written().slice(first.length)).toMatch(/^(\u001b\[\d+F\u001b\[0J)?10:05:00 - billing\/a rejected$/m);
  });

  it("across stacks, notes once the executions of a stack deleted while watched", () => {
    const { out, written } = terminal();
    const stacks = new Map([
      [a.executionArn, "billing"],
      [b.executionArn, "releases"],
    ]);
    const view = new LiveView(out, 10_000, false);
    view.update(snap({ first: true, pending: [a, b], stacks }), now);
    const first = written();
    view.update(snap({ pending: [b], gone: [a], stacks }), now);
    const second = written().slice(first.length);
    expect(second).toMatch(/^(\u001b\[\d+F\u001b\[0J)?10:05:00 - billing\/a gone with its stack$/m);
    expect(second).not.toMatch(/^ +billing +a /m);
  });

  it("rings the bell on arrivals only, and only with --bell", () => {
    const ringing = terminal();
    const view = new LiveView(ringing.out, 10_000, true);
    view.update(snap({ first: true, pending: [a] }), now);
    expect(ringing.written()).not.toContain("\u0007");
    view.update(snap({ pending: [b, a], arrived: [b] }), now);
    expect(ringing.written().match(/\u0007/g)).toHaveLength(1);
    const quiet = terminal();
    new LiveView(quiet.out, 10_000, false).update(snap({ pending: [b], arrived: [b] }), now);
    expect(quiet.written()).not.toContain("\u0007");
  });

  it("erases exactly the frame it drew, keeps ended lines above, and marks arrivals", () => {
    const { out, written } = terminal();
    const view = new LiveView(out, 10_000, false);
    view.update(snap({ first: true, pending: [a, b] }), now);
    const first = written();
    expect(first.trimEnd().split("\n")).toHaveLength(4);
    view.update(snap({ pending: [c, b], arrived: [c], ended: [{ execution: a, outcome: { kind: "approved" } }] }), now);
    const second = written().slice(first.length);
    expect(second.startsWith("\u001b[4F\u001b[0J")).toBe(true);
    const lines = second.slice("\u001b[4F\u001b[0J".length).trimEnd().split("\n");
    expect(lines[0]).toBe("10:05:00 - a approved");
    expect(lines[2]).toMatch(/^\+ {2}c /);
    expect(lines[3]).toMatch(/^ {3}b /);
    view.redraw(now);
    expect(
      written()
        .slice(first.length + second.length)
        .startsWith("\u001b[4F\u001b[0J"),
    ).toBe(true);
  });

  it("keeps a list taller than the screen within rows - 2 lines, so the newline after it scrolls nothing off", () => {
    // The cursor ends on the line below the frame: a frame of `rows` lines scrolls its header into the
    // scrollback, where the next erase cannot reach it; one of rows - 1 starts at the top-left corner,
    // where tmux keeps what is erased. Either way each redraw leaves a frame's worth in the scrollback.
    const { out, written } = terminal(10);
    const many = Array.from({ length: 20 }, (_, i) => waiting(`e${i}`));
    const view = new LiveView(out, 10_000, false);
    view.update(snap({ first: true, pending: many }), now);
    const first = written().trimEnd().split("\n");
    expect(first.length).toBeLessThanOrEqual(8);
    expect(first[0]).toMatch(/NAME/);
    expect(first.at(-2)).toMatch(/^… \d+ more$/);
    expect(first.length - 3 + Number(first.at(-2)?.match(/\d+/)?.[0])).toBe(20);
    view.redraw(now);
    expect(written().slice(written().indexOf("\u001b"))).toMatch(new RegExp(`^\\u001b\\[${first.length}F`));
  });
});
