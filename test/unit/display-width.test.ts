import { describe, expect, it } from "vitest";
import { safeText } from "../../src/lib/safe-text.js";
import { displayWidth, truncateToWidth } from "../../src/output/display-width.js";

describe("displayWidth and truncateToWidth", () => {
  it("counts terminal columns, not UTF-16 units", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("승인")).toBe(4);
    expect(displayWidth("😀")).toBe(2);
    expect(displayWidth("é")).toBe(1); // e + combining acute
    expect(displayWidth("\u001b[31mred\u001b[39m")).toBe(3);
    expect(displayWidth(safeText("\u001b[2J"))).toBe("\\u001b[2J".length);
  });

  it("cuts at a width, never inside a character, with an ellipsis", () => {
    expect(truncateToWidth("approval", 10)).toBe("approval");
    expect(truncateToWidth("approval", 5)).toBe("appr…");
    expect(truncateToWidth("승인요청", 5)).toBe("승인…");
    expect(displayWidth(truncateToWidth("승인요청", 5))).toBeLessThanOrEqual(5);
    expect(truncateToWidth("👩‍👩‍👧👩‍👩‍👧x", 4)).toBe("👩‍👩‍👧…");
    expect(truncateToWidth("abc", 0)).toBe("");
  });
});
