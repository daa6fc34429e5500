import { describe, expect, it } from "vitest";
import { columns, duration, relativeTime, summarizeInput } from "../../src/output/format.js";

const now = new Date("2026-11-25T12:00:00.000Z");
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("relativeTime", () => {
  it.each([
    [-5, "5 sec ago"],
    [-12 * 60, "12 min ago"],
    [47 * 60, "in 47 min"],
    [-3 * 3600, "3 hr ago"],
    [2 * 86400, "in 2 days"],
    [-1, "1 sec ago"],
  ])("%i s reads %s", (seconds, text) => {
    expect(relativeTime(at(seconds), now)).toBe(text);
  });

  it("rounds past and future alike, as duration does", () => {
    expect(relativeTime(at(-90), now)).toBe("2 min ago");
    expect(relativeTime(at(90), now)).toBe("in 2 min");
    expect(duration(90_000)).toBe("2 min");
    expect(relativeTime(at(-150), now)).toBe(`${duration(150_000)} ago`);
  });

  it("drops the abbreviation dots", () => {
    expect(relativeTime(at(-90), now)).not.toContain(".");
  });

  it("moves to the larger unit when rounding reaches it", () => {
    expect(relativeTime(at(59 * 60 + 59), now)).toBe("in 1 hr");
    expect(relativeTime(at(-(23 * 3600 + 59 * 60)), now)).toBe("1 day ago");
    expect(relativeTime(at(59 * 60 + 29), now)).toBe("in 59 min");
  });
});

describe("duration", () => {
  it.each([
    [0, "0 sec"],
    [45_000, "45 sec"],
    [47 * 60_000, "47 min"],
    [-47 * 60_000, "47 min"],
    [3_600_000, "1 hr"],
    [3_599_000, "1 hr"],
    [2 * 3_600_000, "2 hr"],
  ])("%i ms reads %s", (ms, text) => {
    expect(duration(ms)).toBe(text);
  });
});

describe("columns", () => {
  it("aligns columns without borders or trailing spaces", () => {
    const text = columns(
      ["NAME", "TIME LEFT", "COMMENT"],
      [
        ["ApprovalTest", "47 min left", "please approve"],
        ["b", "2 min left", ""],
      ],
    );
    expect(text.split("\n")).toEqual([
      "NAME          TIME LEFT    COMMENT",
      "ApprovalTest  47 min left  please approve",
      "b             2 min left",
    ]);
  });

  it("aligns wide characters by their width on a terminal", () => {
    const lines = columns(
      ["NAME", "X"],
      [
        ["승인-테스트", "1"],
        ["abc", "2"],
      ],
    ).split("\n");
    // Hangul syllables take two columns: 승인-테스트 is 11 columns wide.
    expect(lines[1]).toBe("승인-테스트  1");
    expect(lines[2]).toBe("abc          2");
  });
});

describe("summarizeInput", () => {
  it("shows the Comment", () => {
    expect(summarizeInput('{"Comment":"Testing the human approval tutorial.","x":1}')).toBe("Testing the human approval tutorial.");
  });

  it("shows compact JSON without a Comment", () => {
    expect(summarizeInput('{\n  "order": 42,\n  "amount": "12.00"\n}')).toBe('{"order":42,"amount":"12.00"}');
  });

  it("shortens to the width with an ellipsis, on one line", () => {
    const text = summarizeInput(JSON.stringify({ Comment: `line one\nline two ${"x".repeat(100)}` }), 20);
    expect(text).toBe("line one line two x…");
    expect([...text]).toHaveLength(20);
  });

  it("never cuts a character in half", () => {
    const text = summarizeInput(JSON.stringify({ Comment: "🚀".repeat(30) }), 10);
    expect(text).toBe(`${"🚀".repeat(9)}…`);
  });

  it("copes with missing and non-JSON input", () => {
    expect(summarizeInput(undefined)).toBe("");
    expect(summarizeInput("")).toBe("");
    expect(summarizeInput("not json")).toBe("not json");
  });
});
