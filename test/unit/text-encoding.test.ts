import { describe, expect, it } from "vitest";
import { decodeUtf8, invalidUtf8Offset, wideEncoding } from "../../src/core/text-encoding.js";
import { usageError } from "./fixtures.js";

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

describe("decodeUtf8", () => {
  it("decodes UTF-8 of any script", () => {
    expect(decodeUtf8(bytes('{"주석":"승인 😀"}'), "Input a.json")).toBe('{"주석":"승인 😀"}');
    expect(decodeUtf8(bytes(""), "Input a.json")).toBe("");
  });

  it("drops a UTF-8 byte order mark, once", () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], "{}"), "Input a.json")).toBe("{}");
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], "{}"), "Input a.json")).toBe("\ufeff{}");
  });

  it("refuses invalid UTF-8 with the byte, its offset and line, on one line", () => {
    const latin1 = Buffer.from('{\n  "Comment": "café"\n}', "latin1");
    const error = usageError(() => decodeUtf8(latin1, "Input latin1.json"));
    expect(error.message).toBe("Input latin1.json is not valid UTF-8: byte 0xE9 at offset 19 (line 2) does not begin a valid character.");
    expect(latin1[19]).toBe(0xe9);
    expect(error.hint).toMatch(/Save it as UTF-8/);
    expect(error.exitCode).toBe(2);
    expect(error.message).not.toContain("\n");
  });

  it("counts the offset in the file, byte order mark included", () => {
    const error = usageError(() => decodeUtf8(bytes([0xef, 0xbb, 0xbf], "{}", [0xff]), "Input a.json"));
    expect(error.message).toMatch(/byte 0xFF at offset 5 \(line 1\)/);
  });

  it.each([
    ["UTF-16LE", "\ufeff{}", "utf16le"],
    ["UTF-16LE", '{"Comment":"x"}', "utf16le"],
    ["UTF-16LE", "{}", "utf16le"],
    ["UTF-16LE", "1", "utf16le"],
  ] as const)("refuses %s text (%j), naming the encoding", (name, text, encoding) => {
    const error = usageError(() => decodeUtf8(Buffer.from(text, encoding), "Input wide.json"));
    expect(error.message).toBe(`Input wide.json is ${name} text; only UTF-8 is accepted.`);
    expect(error.hint).toBe(`Save it as UTF-8, e.g. iconv -f ${name} -t UTF-8.`);
  });

  it("refuses UTF-16BE and UTF-32, with and without a byte order mark", () => {
    const utf16be = (text: string) => Buffer.from(text, "utf16le").swap16();
    const utf32 = (text: string, bigEndian: boolean) => {
      const out = Buffer.alloc(text.length * 4);
      for (const [i, c] of [...text].entries()) {
        if (bigEndian) out.writeUInt32BE(c.codePointAt(0)!, i * 4);
        else out.writeUInt32LE(c.codePointAt(0)!, i * 4);
      }
      return out;
    };
    const name = (b: Buffer) => /is (\S+) text/.exec(usageError(() => decodeUtf8(b, "Input x")).message)?.[1];
    expect(name(utf16be("\ufeff{}"))).toBe("UTF-16BE");
    expect(name(utf16be("{}"))).toBe("UTF-16BE");
    expect(name(utf32("\ufeff{}", false))).toBe("UTF-32LE");
    expect(name(utf32("{}", false))).toBe("UTF-32LE");
    expect(name(utf32("\ufeff{}", true))).toBe("UTF-32BE");
    expect(name(utf32("{}", true))).toBe("UTF-32BE");
  });
});

describe("wideEncoding", () => {
  it("finds nothing in UTF-8 text, or in text too short to tell", () => {
    expect(wideEncoding(bytes('{"a":1}'))).toBeUndefined();
    expect(wideEncoding(bytes("승인"))).toBeUndefined();
    expect(wideEncoding(bytes(""))).toBeUndefined();
    expect(wideEncoding(bytes([0x00]))).toBeUndefined();
  });
});

describe("invalidUtf8Offset", () => {
  it.each([
    ["a lone continuation byte", [0x41, 0x80], 1],
    ["a sequence cut short at the end", [0x41, 0xe2, 0x82], 1],
    ["a sequence interrupted by ASCII", [0xe2, 0x28, 0xa1], 0],
    ["an overlong slash", [0xc0, 0xaf], 0],
    ["an overlong three-byte form", [0xe0, 0x80, 0xaf], 0],
    ["a surrogate (CESU-8)", [0x41, 0xed, 0xa0, 0x80], 1],
    ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 0],
    ["a byte that never appears in UTF-8", [0x41, 0x42, 0xff], 2],
    ["a four-byte sequence cut short", [0xf0, 0x9f, 0x98], 0],
  ])("finds %s", (_what, input, offset) => {
    expect(invalidUtf8Offset(Uint8Array.from(input))).toBe(offset);
    // The same bytes the platform's strict decoder refuses.
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(input))).toThrow();
  });

  it("accepts what the strict decoder accepts, at every boundary of each sequence length", () => {
    for (const cp of [0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff]) {
      expect(invalidUtf8Offset(Buffer.from(String.fromCodePoint(cp)))).toBeUndefined();
    }
  });

  it("agrees with the strict decoder on random bytes", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 16;
    };
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (let n = 0; n < 2000; n++) {
      const sample = Uint8Array.from({ length: 1 + (next() % 8) }, () => (next() % 3 === 0 ? 0x80 + (next() % 0x80) : next() & 0xff));
      let valid = true;
      try {
        decoder.decode(sample);
      } catch {
        valid = false;
      }
      expect(invalidUtf8Offset(sample) === undefined, `${Buffer.from(sample).toString("hex")}`).toBe(valid);
    }
  });
});
