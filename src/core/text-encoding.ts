// Files given to the CLI are UTF-8. Decoding anything else "leniently" would send U+FFFD in place of
// what the user wrote, or a JSON parse error about characters that are not there: refuse it instead,
// saying where or what the encoding is.
import { UsageError } from "../errors.js";

/** Byte order marks of the encodings a JSON or YAML file may be saved in by mistake, longest first. */
const BOMS: Array<[string, number[]]> = [
  ["UTF-32LE", [0xff, 0xfe, 0x00, 0x00]],
  ["UTF-32BE", [0x00, 0x00, 0xfe, 0xff]],
  ["UTF-16LE", [0xff, 0xfe]],
  ["UTF-16BE", [0xfe, 0xff]],
];

const UTF8_BOM = [0xef, 0xbb, 0xbf];

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Decode a file's bytes as UTF-8, or refuse them with a {@link UsageError} (exit 2) of one line.
 * - A UTF-8 byte order mark is dropped (editors on Windows write one; JSON parsers may ignore it).
 * - UTF-16 and UTF-32, with a byte order mark or recognised by the NUL bytes of ASCII text in them,
 *   are refused naming the encoding.
 * - Invalid UTF-8 is refused with the byte offset (from 0) and line of the first bad sequence.
 * @param bytes The file's content.
 * @param label How the message names the file, e.g. `Input request.json`.
 */
export function decodeUtf8(bytes: Uint8Array, label: string): string {
  const wide = wideEncoding(bytes);
  if (wide) {
    throw new UsageError(`${label} is ${wide} text; only UTF-8 is accepted.`, `Save it as UTF-8, e.g. iconv -f ${wide} -t UTF-8.`);
  }
  const body = startsWith(bytes, UTF8_BOM) ? bytes.subarray(UTF8_BOM.length) : bytes;
  try {
    return strict.decode(body);
  } catch {
    const offset = invalidUtf8Offset(body) ?? 0;
    const at = offset + (body === bytes ? 0 : UTF8_BOM.length);
    const byte = `0x${(body[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0")}`;
    const line = bytes.subarray(0, at).filter((b) => b === 0x0a).length + 1;
    throw new UsageError(
      `${label} is not valid UTF-8: byte ${byte} at offset ${at} (line ${line}) does not begin a valid character.`,
      "Save it as UTF-8 (text in Latin-1 or Windows-1252 is not UTF-8).",
    );
  }
}

/**
 * The UTF-16 or UTF-32 encoding of the bytes, from a byte order mark, else from where the NUL bytes
 * fall in the first four (RFC 4627 §3: JSON text starts with two ASCII characters). UTF-8 JSON or
 * YAML never holds a NUL byte, so the guess cannot refuse a file that would have been valid.
 */
export function wideEncoding(bytes: Uint8Array): string | undefined {
  for (const [name, bom] of BOMS) if (startsWith(bytes, bom)) return name;
  const nul = [...bytes.subarray(0, 4)].map((b) => (b === 0 ? "0" : "x")).join("");
  if (nul === "000x") return "UTF-32BE";
  if (nul === "x000") return "UTF-32LE";
  if (nul === "0x0x" || nul === "0x") return "UTF-16BE";
  if (nul === "x0x0" || nul === "x0") return "UTF-16LE";
  return undefined;
}

/**
 * Offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode Table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF, no sequence cut short), or undefined.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // The second byte's range depends on the first; later bytes are plain continuation bytes.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.length <= bytes.length && prefix.every((b, i) => bytes[i] === b);
}
