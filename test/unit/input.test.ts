import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { checkExecutionInput, MAX_INPUT_BYTES, readExecutionInput } from "../../src/core/input.js";
import { UsageError } from "../../src/errors.js";
import { usageError } from "./fixtures.js";

describe("checkExecutionInput", () => {
  it("returns a JSON object unchanged", () => {
    const text = '{ "Comment": "Testing the human approval tutorial." }\n';
    expect(checkExecutionInput(text, "request.json")).toBe(text);
    expect(checkExecutionInput('{"주석":"승인 요청"}', "-")).toBe('{"주석":"승인 요청"}');
  });

  it.each([
    // V8 reports no position for an unexpected token: the position is found by scanning.
    ['{"Comment": }', "Unexpected token '}'", 1, 13],
    ['{\n  "Comment": "a"\n  "Other": 1\n}', "", 3, 3],
    ['{\n  "a": 1,\n}', "", 3, 1],
    ['{\n  "a": [1, 2,]\n}', "Unexpected token ']'", 2, 14],
    ['{\n  "a": tru\n}', "Unexpected token '\\n'", 2, 11],
    ['{"a": "\\q"}', "", 1, 9],
    ['{"a": 1} trailing', "", 1, 10],
    ['{\n  "a": "unterminated', "Unterminated string", 2, 21],
    ['{"a": 1', "", 1, 8],
  ])("names the line and column of a parse error in %j", (text, start, line, column) => {
    const { message } = usageError(() => checkExecutionInput(text, "request.json"));
    expect(message).toMatch(/^Input request\.json is not valid JSON: /);
    expect(message).toContain(`at line ${line}, column ${column}.`);
    expect(message).toContain(start);
    // V8's echo of the whole text is dropped: one short line.
    expect(message).not.toMatch(/" is not valid JSON/);
    expect(message).not.toMatch(/position \d+/);
    expect(message.split("\n")).toHaveLength(1);
  });

  it("keeps the position of a long document short", () => {
    const text = `{"a": "${"x".repeat(5000)}", }`;
    const { message } = usageError(() => checkExecutionInput(text, "big.json"));
    expect(message.length).toBeLessThan(200);
    expect(message).toContain(`line 1, column ${text.length}`);
  });

  it("refuses input over 256 KiB, counting UTF-8 bytes", () => {
    const exact = `{"a":"${"x".repeat(MAX_INPUT_BYTES - 8)}"}`;
    expect(Buffer.byteLength(exact)).toBe(MAX_INPUT_BYTES);
    expect(checkExecutionInput(exact, "max.json")).toBe(exact);

    const over = `{"a":"${"x".repeat(MAX_INPUT_BYTES - 7)}"}`;
    expect(usageError(() => checkExecutionInput(over, "over.json")).message).toBe(
      `Input over.json is ${MAX_INPUT_BYTES + 1} bytes; Step Functions accepts at most ${MAX_INPUT_BYTES} (256 KiB).`,
    );
    // 3 bytes per character: fewer characters than the limit, more bytes.
    const wide = `{"a":"${"승".repeat(MAX_INPUT_BYTES / 3)}"}`;
    expect(wide.length).toBeLessThan(MAX_INPUT_BYTES);
    expect(usageError(() => checkExecutionInput(wide, "wide.json")).message).toMatch(/bytes; Step Functions accepts at most/);
  });

  it.each([
    ["[1, 2]", "an array"],
    ["null", "null"],
    ['"text"', "a string"],
    ["42", "a number"],
    ["true", "a boolean"],
  ])("refuses %s, which is not an object", (text, kind) => {
    const error = usageError(() => checkExecutionInput(text, "stdin"));
    expect(error.message).toBe(`Input stdin is ${kind}; the workflow expects a JSON object.`);
    expect(error.hint).toContain('{"Comment"');
  });

  it.each(["", "  \n\t"])("refuses empty input %j with an example", (text) => {
    const error = usageError(() => checkExecutionInput(text, "stdin"));
    expect(error.message).toBe("Input stdin is empty; expected a JSON object.");
    expect(error.hint).toContain("Comment");
  });
});

describe("readExecutionInput", () => {
  const dir = mkdtempSync(join(tmpdir(), "approvals-input-"));

  it("reads a file, and stdin for -", async () => {
    const file = join(dir, "request.json");
    writeFileSync(file, '{"Comment":"from a file"}');
    await expect(readExecutionInput(file, Readable.from([]))).resolves.toBe('{"Comment":"from a file"}');
    await expect(readExecutionInput("-", Readable.from([Buffer.from('{"Comment":'), Buffer.from('"승인"}')]))).resolves.toBe(
      '{"Comment":"승인"}',
    );
  });

  it("drops a UTF-8 byte order mark", async () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, '\uFEFF{"Comment":"saved by Notepad"}');
    await expect(readExecutionInput(file, Readable.from([]))).resolves.toBe('{"Comment":"saved by Notepad"}');
  });

  it("refuses a file that is not UTF-8, and stdin that is not", async () => {
    const latin1 = join(dir, "latin1.json");
    writeFileSync(latin1, Buffer.from('{"Comment":"café"}', "latin1"));
    await expect(readExecutionInput(latin1, Readable.from([]))).rejects.toThrow(
      `Input ${latin1} is not valid UTF-8: byte 0xE9 at offset 15 (line 1) does not begin a valid character.`,
    );
    const utf16 = join(dir, "utf16.json");
    writeFileSync(utf16, Buffer.from('\ufeff{"Comment":"x"}', "utf16le"));
    await expect(readExecutionInput(utf16, Readable.from([]))).rejects.toThrow(`Input ${utf16} is UTF-16LE text; only UTF-8 is accepted.`);
    await expect(readExecutionInput("-", Readable.from([Buffer.from([0x7b, 0x22, 0xc3])]))).rejects.toThrow(
      "Input stdin is not valid UTF-8: byte 0xC3 at offset 2 (line 1)",
    );
  });

  it("shows control characters in a file name and in the JSON error as escapes", async () => {
    const file = join(dir, "evil\u001b[2J.json");
    writeFileSync(file, '{"a": \u009b}');
    const error = (await readExecutionInput(file, Readable.from([])).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("evil\\u001b[2J.json is not valid JSON: Unexpected token '\\u009b'");
    expect(error.message).not.toMatch(/[\u001b\u009b]/);
  });

  it("names the file in parse errors", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "Comment": "a",\n}');
    await expect(readExecutionInput(file, Readable.from([]))).rejects.toThrow(
      `Input ${file} is not valid JSON: Expected double-quoted property name at line 3, column 1.`,
    );
  });

  it("says why a file cannot be read", async () => {
    await expect(readExecutionInput(join(dir, "missing.json"), Readable.from([]))).rejects.toThrow(/no such file/);
    await expect(readExecutionInput(dir, Readable.from([]))).rejects.toThrow(/it is a directory/);
    await expect(readExecutionInput(join(dir, "missing.json"), Readable.from([]))).rejects.toBeInstanceOf(UsageError);
  });
});
