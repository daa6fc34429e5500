import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/output/display-width.js";
import { cut, type FitColumn, fitTable, shrinkToFit } from "../../src/output/fit.js";
import { suggestionLines } from "../../src/output/suggestions.js";

const uuid = "3f2b8c1e-9d4a-4e6f-8b7c-2a1d0e9f8c7b";
const comment = "Release 2.4 to production after the change review board signed it off";
const table: FitColumn[] = [
  { head: "NAME", shrink: { order: 2, min: 14, cut: "middle" } },
  { head: "STARTED" },
  { head: "COMMENT", shrink: { order: 1, min: 12, cut: "end" } },
];
const rows = [
  [uuid, "12 min ago", comment],
  ["hotfix", "3 min ago", "short"],
];

describe("fitTable", () => {
  it("cuts nothing without a width (a pipe)", () => {
    const lines = fitTable(table, rows);
    expect(lines[1]).toBe(`${uuid}  12 min ago  ${comment}`);
    expect(lines[0]).toBe(`NAME${" ".repeat(uuid.length - 2)}STARTED${" ".repeat(5)}COMMENT`);
  });

  it("shrinks the comment first and leaves the name whole while that suffices", () => {
    const lines = fitTable(table, rows, 80);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(new RegExp(`^${uuid}  12 min ago  Release 2\\.4 .*…$`));
    expect(displayWidth(lines[1] ?? "")).toBe(80);
  });

  it("then shrinks the name in the middle, keeping both ends", () => {
    const lines = fitTable(table, rows, 50);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(50);
    const name = (lines[1] ?? "").split("  ")[0] ?? "";
    expect(name.startsWith("3f2b8c1e")).toBe(true);
    expect(name.endsWith("9f8c7b")).toBe(true);
    expect(name).toContain("…");
    expect(lines[1]).toMatch(/ {2}Release 2\.4…$/);
  });

  it("goes below the minimums rather than wrap a narrow terminal", () => {
    for (const line of fitTable(table, rows, 30)) expect(displayWidth(line)).toBeLessThanOrEqual(30);
  });

  it("measures wide characters as two columns and never splits them", () => {
    const korean = [["승인-요청-배포-승인-요청-배포", "1 min ago", "운영 환경 배포 승인을 요청합니다 지금"]];
    const lines = fitTable(table, korean, 40);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);
    expect(lines[1]).toMatch(/…/);
    const natural = fitTable(table, korean);
    expect(displayWidth(natural[1] ?? "")).toBeGreaterThan(40);
    // Columns stay aligned: STARTED begins at the same display column in header and row.
    const at = (line: string) => displayWidth(line.slice(0, line.indexOf(line.includes("STARTED") ? "STARTED" : "1 min")));
    expect(at(natural[1] ?? "")).toBe(at(natural[0] ?? ""));
  });

  it("shows control characters as visible escapes, measured as shown", () => {
    const lines = fitTable(table, [["evil\u001b[2J", "now", "a\u202eb"]]);
    expect(lines[1]).toBe("evil\\u001b[2J  now      a\\u202eb");
  });

  it("applies a cell's paint after fitting, so padding stays outside the colour", () => {
    const lines = fitTable(table, [[{ text: "x", paint: (t) => `<${t}>` }, "now", "c"]]);
    expect(lines[1]).toBe("<x>     now      c");
  });
});

describe("shrinkToFit", () => {
  it("takes the excess from the columns in order, each to its minimum", () => {
    const widths = [36, 10, 70];
    shrinkToFit(table, widths, 80);
    expect(widths).toEqual([36, 10, 30]);
    shrinkToFit(table, widths, 40);
    expect(widths).toEqual([14, 10, 12]);
  });
});

describe("cut", () => {
  it("keeps text that fits", () => expect(cut("abc", 3, "middle")).toBe("abc"));
  it("keeps the start at the end cut", () => expect(cut("abcdefghij", 6, "end")).toBe("abcde…"));
  it("keeps both ends at the middle cut", () => expect(cut("abcdefghij", 7, "middle")).toBe("abc…hij"));
  it("never splits a wide character", () => {
    const text = cut("가나다라마바사", 8, "middle");
    expect(displayWidth(text)).toBeLessThanOrEqual(8);
    expect(text).toBe("가나…사");
  });
});

describe("suggestionLines", () => {
  const commands = ["approvals approve 0c4f2a3e-1111-2222-3333-444455556666", "approvals reject 0c4f2a3e-1111-2222-3333-444455556666"];

  it("keeps one line when it fits the terminal", () => {
    expect(suggestionLines("Decide with:", commands, 200)).toEqual([`Decide with: ${commands.join(" | ")}`]);
    expect(suggestionLines("Next:", ["approvals pending"], 80)).toEqual(["Next: approvals pending"]);
  });

  it("puts each command whole on a line of its own when the line would be wider than the terminal", () => {
    const lines = suggestionLines("Decide with:", commands, 80);
    expect(lines).toEqual(["Decide with:", `  ${commands[0]}`, `  ${commands[1]}`]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe("suggestionLines: a command wider than the terminal", () => {
  it("goes on over lines ending in a backslash, broken only between shell words", () => {
    const command = "approvals approve 83e0fa67-5423-44a7-b9e6-901eeb340d8d --stack-name 'a stack' --region eu-west-1";
    const lines = suggestionLines("Decide with:", [command], 60);
    expect(lines).toEqual([
      "Decide with:",
      "  approvals approve 83e0fa67-5423-44a7-b9e6-901eeb340d8d \\",
      "    --stack-name 'a stack' --region eu-west-1",
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    // What a shell reads back: the same words.
    expect(
      lines
        .slice(1)
        .join("\n")
        .replace(/ \\\n\s+/g, " ")
        .trim(),
    ).toBe(command);
  });
});
