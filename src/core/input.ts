import { readFile } from "node:fs/promises";
import { InterruptedError, UsageError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";
import { decodeUtf8 } from "./text-encoding.js";

/** Step Functions' limit on execution input, in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 256 * 1024;

/** Read all of a stream's bytes; `signal` (Ctrl-C) stops the read, and closes the stream so the process can end. */
export async function readStream(stream: NodeJS.ReadableStream, signal?: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const read = (async () => {
    for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks);
  })();
  if (!signal) return read;
  let onAbort = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    onAbort = () => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      reject(new InterruptedError("Interrupted: nothing was sent."));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
  });
  read.catch(() => {});
  try {
    return await Promise.race([read, interrupted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/**
 * Read and check execution input from a file, or stdin for `-`: it must be UTF-8 (see
 * {@link decodeUtf8}: a UTF-8 byte order mark is dropped, UTF-16/32 and invalid bytes are refused)
 * and a JSON object (the workflow's input carries a Comment and other fields) of at most 256 KiB.
 */
export async function readExecutionInput(file: string, stdin: NodeJS.ReadableStream, signal?: AbortSignal): Promise<string> {
  const source = file === "-" ? "stdin" : safeText(file);
  let bytes: Buffer;
  try {
    bytes = file === "-" ? await readStream(stdin, signal) : await readFile(file);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : safeText((error as Error).message);
    throw new UsageError(`Cannot read input ${source}: ${why}.`, "Pass a JSON file, or - to read stdin.");
  }
  return checkExecutionInput(decodeUtf8(bytes, `Input ${source}`), source);
}

/** Check input text; returns it unchanged when valid. */
export function checkExecutionInput(text: string, source: string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_INPUT_BYTES) {
    throw new UsageError(`Input ${source} is ${bytes} bytes; Step Functions accepts at most ${MAX_INPUT_BYTES} (256 KiB).`);
  }
  if (text.trim() === "")
    throw new UsageError(
      `Input ${source} is empty; expected a JSON object.`,
      `Example: {"Comment": "Testing the human approval tutorial."}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`Input ${source} is not valid JSON: ${describeJsonError(text, error as Error)}.`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
    throw new UsageError(
      `Input ${source} is ${kind}; the workflow expects a JSON object.`,
      `Example: {"Comment": "Testing the human approval tutorial."}`,
    );
  }
  return text;
}

/**
 * JSON.parse's message with a line and column. V8 reports a position for some errors only
 * ("Unexpected token 'x', "..." is not valid JSON" has none), so the position is found by scanning.
 */
function describeJsonError(text: string, error: Error): string {
  const message = error.message
    .replace(/^JSON\.parse: /, "")
    .replace(/, (?:\.\.\.)?"[\s\S]*is not valid JSON$/, "")
    .replace(/ in JSON(?= at position)/, "")
    .replace(/ at position \d+[\s\S]*$/, "");
  // The unexpected character is quoted raw: a newline would break the line, an escape reach the terminal.
  const shown = safeText(message);
  const reported = /position (\d+)/.exec(error.message);
  const position = reported ? Number(reported[1]) : jsonErrorOffset(text);
  if (position === undefined) return shown;
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${shown} at line ${line}, column ${column}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Offset of the first character that breaks JSON syntax (the length when the text ends early). */
function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r") i++;
  };
  const expect = (chars: string) => {
    for (const ch of chars) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    for (let ch = text[i]; ch !== '"'; ch = text[i]) {
      if (ch === undefined || ch < " ") fail();
      if (ch === "\\") {
        i++;
        const escaped = text[i] === "u" ? /u[0-9a-fA-F]{4}/y : /["\\/bfnrt]/y;
        escaped.lastIndex = i;
        if (!escaped.test(text)) fail();
        i = escaped.lastIndex - 1;
      }
      i++;
    }
    i++;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === "{" || ch === "[") container(ch === "{" ? "}" : "]");
    else if (ch === '"') string();
    else if (ch === "t") expect("true");
    else if (ch === "f") expect("false");
    else if (ch === "n") expect("null");
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) fail();
      i = NUMBER.lastIndex;
    }
  };
  const container = (close: "}" | "]") => {
    i++;
    space();
    for (let first = true; text[i] !== close; first = false) {
      if (!first) expect(",");
      if (close === "}") {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        expect(":");
      }
      value();
      space();
    }
    i++;
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (error) {
    // A nesting too deep for the stack has no position worth reporting.
    return typeof error === "number" ? Math.min(error, text.length) : undefined;
  }
}
