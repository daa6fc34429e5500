import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";

/** Step Functions' limit on execution input, in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 256 * 1024;

/** Read all of a stream as UTF-8. */
export async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Read and check execution input from a file, or stdin for `-`: it must be a JSON object
 * (the workflow's input carries a Comment and other fields) of at most 256 KiB.
 */
export async function readExecutionInput(file: string, stdin: NodeJS.ReadableStream): Promise<string> {
  const source = file === "-" ? "stdin" : file;
  let text: string;
  try {
    text = file === "-" ? await readStream(stdin) : await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : (error as Error).message;
    throw new UsageError(`Cannot read input ${source}: ${why}.`, "Pass a JSON file, or - to read stdin.");
  }
  return checkExecutionInput(text, source);
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

/** JSON.parse's message with a line and column, computed from the position it reports. */
function describeJsonError(text: string, error: Error): string {
  const message = error.message.replace(/^JSON\.parse: /, "").replace(/ in JSON at position \d+.*$/, "");
  const match = /position (\d+)/.exec(error.message);
  let position = match ? Number(match[1]) : undefined;
  if (position === undefined && /Unexpected end/.test(error.message)) position = text.length;
  if (position === undefined) return message;
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${message} at line ${line}, column ${column}`;
}
