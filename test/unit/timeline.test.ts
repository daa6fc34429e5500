import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { timelineOf } from "../../src/core/executions/timeline.js";
import { drawTimeline, elapsed } from "../../src/output/timeline.js";
import { decidedEvents, events, TOKEN, waitingEvents } from "./fixtures.js";

const plain = new Chalk({ level: 0 });
const started = new Date("2026-11-25T10:00:00.000Z");

describe("timelineOf", () => {
  it("lists every event oldest first, with its state, time since start and a short detail", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState"));
    const timeline = timelineOf([...history].reverse(), started, [TOKEN]);
    expect(timeline.map((e) => [e.type, e.state, e.elapsedMs, e.detail])).toEqual([
      ["ExecutionStarted", null, 0, '{"Comment":"hi"}'],
      ["TaskStateEntered", "Lambda Callback", 1000, null],
      ["TaskScheduled", "Lambda Callback", 2000, "lambda:invoke.waitForTaskToken"],
      ["TaskStarted", "Lambda Callback", 3000, null],
      ["TaskSubmitted", "Lambda Callback", 4000, null],
      ["TaskSucceeded", "Lambda Callback", 5000, '{"Status":"Approved! Task approved by ops@example.com"}'],
      ["TaskStateExited", "Lambda Callback", 6000, null],
      ["ChoiceStateEntered", "ManualApprovalChoiceState", 7000, null],
      ["ChoiceStateExited", "ManualApprovalChoiceState", 8000, null],
      ["PassStateEntered", "ApprovedPassState", 9000, null],
      ["PassStateExited", "ApprovedPassState", 10000, null],
      ["ExecutionSucceeded", null, 11000, '{"Status":"Approved! Task approved by ops@example.com"}'],
    ]);
  });

  it("never carries a task token: parameters are left out and tokens in outputs redacted", () => {
    const history = events(...waitingEvents(), {
      type: "TaskFailed",
      taskFailedEventDetails: { resource: "r", resourceType: "lambda", error: "Oops", cause: `token ${TOKEN} rejected` },
    });
    const text = JSON.stringify(timelineOf(history, started, [TOKEN]));
    expect(text).not.toContain(TOKEN);
    expect(text).toContain("Oops: token [task token redacted] rejected");
  });
});

describe("drawTimeline", () => {
  it("aligns the events under a header", () => {
    const lines = drawTimeline(timelineOf(events(...waitingEvents()), started, [TOKEN]), plain);
    expect(lines).toEqual([
      "TIME (UTC)  ELAPSED  EVENT             STATE            DETAIL",
      '10:00:00    +0.0s    ExecutionStarted                   {"Comment":"hi"}',
      "10:00:01    +1.0s    TaskStateEntered  Lambda Callback",
      "10:00:02    +2.0s    TaskScheduled     Lambda Callback  lambda:invoke.waitForTaskToken",
      "10:00:03    +3.0s    TaskStarted       Lambda Callback",
      "10:00:04    +4.0s    TaskSubmitted     Lambda Callback",
    ]);
  });

  it("fits a given width: the detail gives way first, then the state keeps both ends", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState"));
    const timeline = timelineOf(history, started, [TOKEN]);
    const natural = drawTimeline(timeline, plain);
    expect(natural.some((line) => line.includes("Approved! Task approved by ops@example.com"))).toBe(true);
    for (const width of [78, 64]) {
      const lines = drawTimeline(timeline, plain, width);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      expect(lines.some((line) => line.endsWith("…"))).toBe(true);
    }
    const at78 = drawTimeline(timeline, plain, 78);
    expect(at78[3]).toMatch(/TaskScheduled +Lambda Callback +lambda:invo…$/);
    expect(at78.find((line) => line.includes("ChoiceStateEntered"))).toMatch(/ChoiceStateEntered +ManualAppro…ChoiceState$/);
  });

  it("never cuts the decision: when its column is too narrow, it continues below the row, from the EVENT column", () => {
    const decision = "Approved! Task approved by ops@example.com";
    const history = events(...waitingEvents(), ...decidedEvents(decision, "ApprovedPassState"));
    const lines = drawTimeline(timelineOf(history, started, [TOKEN]), plain, 60);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    const row = lines.findIndex((line) => / TaskSucceeded /.test(line));
    const event = (lines[0] ?? "").indexOf("ELAPSED");
    expect(lines[row]).toMatch(/TaskSucceeded +Lambda\S*lback$/);
    const below = lines.slice(row + 1).filter((line) => line.startsWith(" ".repeat(event)) && !/^\s*\d\d:/.test(line));
    expect(below.length).toBeGreaterThan(0);
    // Broken at spaces: the parts read back as the decision.
    expect(below.map((line) => line.slice(event)).join(" ")).toBe(JSON.stringify({ Status: decision }));
    expect(lines.join("\n")).not.toMatch(/\{"Status":"…/);
  });

  it("cuts a long history in the middle and says how much is left out", () => {
    const many = Array.from({ length: 250 }, () => ({ type: "PassStateEntered" as const, stateEnteredEventDetails: { name: "Loop" } }));
    const lines = drawTimeline(timelineOf(events(...many), started, []), plain);
    expect(lines).toHaveLength(1 + 20 + 1 + 80);
    expect(lines[21]).toBe("… 150 more events (all of them with --json)");
  });

  it("writes time since the start briefly", () => {
    expect([0, 1234, 12_000, 65_000, 3_725_000].map(elapsed)).toEqual(["0.0s", "1.2s", "12s", "1m05s", "1h02m"]);
  });
});
