import { describe, expect, it } from "vitest";
import { displayWidth, wrapToWidth } from "../../src/output/display-width.js";

describe("wrapToWidth", () => {
  it("leaves text that fits alone", () => {
    expect(wrapToWidth("short line", 20, "  ")).toEqual(["short line"]);
  });

  it("breaks at spaces, continuing with the indent, every line within the width", () => {
    const text = "open the AWS Notification - Subscription Confirmation email and click Confirm subscription";
    const lines = wrapToWidth(text, 30, "    ");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(lines.slice(1).every((l) => l.startsWith("    ") && !l.startsWith("     "))).toBe(true);
    expect(lines.map((l) => l.trim()).join(" ")).toBe(text);
  });

  it("cuts a word wider than a line between graphemes, and counts wide characters as two", () => {
    const lines = wrapToWidth(`x ${"a".repeat(25)} 운영환경배포`, 10, "  ");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(10);
    expect(lines.join("").replace(/ /g, "")).toBe(`x${"a".repeat(25)}운영환경배포`);
  });

  it("keeps leading spaces on the first line", () => {
    expect(wrapToWidth('    "Comment": "one two three"', 20, "      ")[0]).toBe('    "Comment": "one');
  });
});
