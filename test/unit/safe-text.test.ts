import { describe, expect, it } from "vitest";
import { safeBlock, safeJson, safeText } from "../../src/lib/safe-text.js";
import { HOSTILE, hostileInput, rawControls } from "../support/hostile.js";

/** Every code point of U+0000–U+FFFF that is neither a control to escape nor a surrogate. */
const UNSAFE_RANGES: Array<[number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2066, 0x206f],
  // Invisible format characters and fillers.
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200b],
  [0x2060, 0x2064],
  [0x3164, 0x3164],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
];
const isUnsafe = (code: number) => UNSAFE_RANGES.some(([from, to]) => code >= from && code <= to);

describe("safeText", () => {
  it.each(HOSTILE.map((s) => [s.name, s] as const))("neutralises %s", (_name, sample) => {
    const safe = safeText(sample.text);
    expect(rawControls(safe)).toEqual([]);
    expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    // Nothing is dropped: the escapes show what was there.
    expect(safe.length).toBeGreaterThan(sample.text.length);
  });

  it("shows the OSC 52 clipboard write as visible escapes", () => {
    expect(safeText("\u001b]52;c;ZWNobyBwd25lZA==\u0007")).toBe("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
    expect(safeText("\u001b[2J")).toBe("\\u001b[2J");
    expect(safeText("x\b")).toBe("x\\u0008");
    expect(safeText("\u009b31m")).toBe("\\u009b31m");
    expect(safeText("a\u202eb")).toBe("a\\u202eb");
    expect(safeText("\u2066x\u2069")).toBe("\\u2066x\\u2069");
    expect(safeText("a\u007f")).toBe("a\\u007f");
  });

  it("writes tab, newline and carriage return as \\t, \\n and \\r: one line stays one line", () => {
    expect(safeText("a\tb\nc\r\nd\re")).toBe("a\\tb\\nc\\r\\nd\\re");
  });

  it("escapes every C0, DEL, C1, bidi, separator and invisible format character, and nothing else in the BMP", () => {
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      const safe = safeText(char);
      if (isUnsafe(code)) expect(safe, `U+${code.toString(16)}`).toMatch(/^\\(u[0-9a-f]{4}|[tnr])$/);
      else expect(safe, `U+${code.toString(16)}`).toBe(char);
    }
  });

  it("escapes invisible fillers and format characters, which hide text and which terminals measure otherwise", () => {
    // U+3164 takes two columns at a terminal and none in the width tables: a line of them wrapped.
    expect(safeText("w-\u3164\u3164")).toBe("w-\\u3164\\u3164");
    expect(safeText("build-17\u200b")).toBe("build-17\\u200b");
    expect(safeText("a\u00adb\ufeff")).toBe("a\\u00adb\\ufeff");
    // Tag characters spell hidden ASCII: shown, one escape each.
    expect(safeText("ok\u{e0041}\u{e0042}")).toBe("ok\\u{e0041}\\u{e0042}");
    // The joiners and variation selectors emoji and scripts need stay.
    expect(safeText("👩‍👩‍👧 ❤️ می‌خواهم")).toBe("👩‍👩‍👧 ❤️ می‌خواهم");
    expect(JSON.parse(safeJson(JSON.stringify("x\u{e0041}\u3164")))).toBe("x\u{e0041}\u3164");
    expect(safeJson(JSON.stringify("x\u{e0041}"))).toBe('"x\\udb40\\udc41"');
  });

  it("escapes lone surrogates and keeps pairs", () => {
    expect(safeText("a\ud800b")).toBe("a\\ud800b");
    expect(safeText("\udc00")).toBe("\\udc00");
    expect(safeText("end\ud83d")).toBe("end\\ud83d");
    expect(safeText("😀 👍🏽 👩‍👩‍👧")).toBe("😀 👍🏽 👩‍👩‍👧");
    expect(safeText("\ude00\ud83d")).toBe("\\ude00\\ud83d");
    expect(Buffer.from(safeText("a\ud800b")).toString()).toBe("a\\ud800b");
  });

  it("leaves printable text of any script alone, backslashes included", () => {
    for (const text of ["승인 요청", "Genehmigung für Ü", "مرحبا", "עברית", "C:\\temp\\a.json", '{"a":"\\u001b"}', "ＡＢＣ"]) {
      expect(safeText(text)).toBe(text);
    }
  });

  it("is idempotent", () => {
    for (const sample of HOSTILE) expect(safeText(safeText(sample.text))).toBe(safeText(sample.text));
  });

  it("makes the values of a whole hostile execution input safe", () => {
    const parsed = JSON.parse(hostileInput()) as Record<string, string>;
    const raw = Object.values(parsed).join(" ");
    expect(rawControls(raw).length).toBeGreaterThan(HOSTILE.length);
    expect(rawControls(safeText(raw))).toEqual([]);
  });
});

describe("safeBlock", () => {
  it("keeps newlines and tabs, turns CR LF into a newline, escapes everything else", () => {
    expect(safeBlock("line 1\r\n\tat x\nline 3")).toBe("line 1\n\tat x\nline 3");
    expect(safeBlock("safe\rEVIL")).toBe("safe\\rEVIL");
    expect(safeBlock("a\u001b[2Jb\u0007\n\u202ec")).toBe("a\\u001b[2Jb\\u0007\n\\u202ec");
    expect(safeBlock("x\ud800")).toBe("x\\ud800");
  });

  it.each(HOSTILE.map((s) => [s.name, s] as const))("neutralises %s", (_name, sample) => {
    expect(rawControls(safeBlock(sample.text))).toEqual([]);
  });
});

describe("safeJson", () => {
  it("escapes what JSON.stringify leaves raw (DEL, C1, bidi), and the data parses back unchanged", () => {
    const value = JSON.parse(hostileInput()) as Record<string, string>;
    const json = JSON.stringify(value, null, 2);
    // JSON.stringify escapes C0 controls itself, but not these:
    expect(rawControls(json).map((found) => found.slice(0, 6))).toEqual([
      "U+009B",
      "U+009B",
      "U+009D",
      "U+009C",
      "U+202E",
      "U+2067",
      "U+2069",
      "U+007F",
    ]);
    const safe = safeJson(json);
    expect(rawControls(safe)).toEqual([]);
    expect(JSON.parse(safe)).toEqual(value);
    expect(safe.split("\n")).toHaveLength(json.split("\n").length);
    expect(safeJson('{"a":"\u2028\u200f"}')).toBe('{"a":"\\u2028\\u200f"}');
    expect(safeJson(JSON.stringify({ lone: "\ud800" }))).toBe('{"lone":"\\ud800"}');
  });
});

describe("rawControls (test support)", () => {
  it("allows the program's own colour codes and line ends, and reports anything else", () => {
    expect(rawControls("\u001b[1mbold\u001b[22m\n\u001b[31mred\u001b[39m\n")).toEqual([]);
    expect(rawControls("\u001b]52;c;x\u0007")).toEqual(['U+001B in "\\u001b]52;c;x\\u0007"', 'U+0007 in "\\u001b]52;c;x\\u0007"']);
    expect(rawControls("\u001b[2J")).toHaveLength(1);
    expect(rawControls("a\u009bb")).toHaveLength(1);
  });
});
