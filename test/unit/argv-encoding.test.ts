import { describe, expect, it } from "vitest";
import { checkArgumentEncoding, type OptionSpelling } from "../../src/core/argv-encoding.js";
import { UsageError } from "../../src/errors.js";

const options: OptionSpelling[] = [
  { long: "--name", takesValue: true },
  { long: "--yes", short: "-y", takesValue: false },
];
/** The arguments as Node decodes them, and their bytes. */
const decoded = (raw: Buffer[]) => raw.map((b) => b.toString("utf8"));
const refusal = (args: string[], raw: Buffer[] | undefined) => {
  try {
    checkArgumentEncoding(args, raw, options);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  return undefined;
};

describe("checkArgumentEncoding", () => {
  it("names the option whose value holds the bad byte, and where", () => {
    const raw = [Buffer.from("start"), Buffer.from("--name"), Buffer.from([0x61, 0xff, 0x62])];
    expect(refusal(decoded(raw), raw)).toBe(
      '--name "a\ufffdb" is not valid UTF-8: byte 0xFF at offset 1 does not begin a valid character.',
    );
  });

  it("counts the offset from the value in --option=value", () => {
    const raw = [Buffer.concat([Buffer.from("--name=ab"), Buffer.from([0xc3])])];
    expect(refusal(decoded(raw), raw)).toBe(
      '--name "ab\ufffd" is not valid UTF-8: byte 0xC3 at offset 2 does not begin a valid character.',
    );
  });

  it("names an argument after a flag that takes no value by itself", () => {
    const raw = [Buffer.from("-y"), Buffer.from([0xfe])];
    expect(refusal(decoded(raw), raw)).toBe(
      'Argument "\ufffd" is not valid UTF-8: byte 0xFE at offset 0 does not begin a valid character.',
    );
  });

  it("accepts valid UTF-8, U+FFFD itself included, when the bytes are known", () => {
    const raw = [Buffer.from("--name"), Buffer.from("für-\ufffd")];
    expect(refusal(decoded(raw), raw)).toBeUndefined();
  });

  it("without the bytes (or when they do not line up), refuses U+FFFD", () => {
    expect(refusal(["--name", "a\ufffdb"], undefined)).toBe(
      '--name "a\ufffdb" is not valid UTF-8: it holds U+FFFD at offset 1, which stands for bytes that were not.',
    );
    expect(refusal(["--name", "ä\ufffd"], [Buffer.from("x")])).toMatch(/U\+FFFD at offset 2,/);
    expect(refusal(["--name", "für"], undefined)).toBeUndefined();
  });
});
