// Text the program did not write itself (names, inputs, outputs, errors and causes from AWS; paths and
// values from argv echoed back) can carry terminal control sequences: an OSC 52 writes the clipboard, a
// CSI 2J wipes the screen, a backspace or carriage return overwrites what was printed, a bidi override
// reverses what the reader sees. Every such character is shown as a visible escape instead.

/**
 * Characters never written raw: C0 controls, DEL, C1 controls (U+009B is the 8-bit CSI), the Arabic
 * letter mark and the left-to-right/right-to-left marks, the Unicode line and paragraph separators,
 * bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069), and lone surrogates (which
 * an encoder would silently turn into U+FFFD). With the `u` flag a surrogate range matches only
 * surrogates that are not half of a pair, so emoji and other astral characters pass.
 * Also the invisible format characters and fillers, which show nothing (a name that looks like
 * another's, text hidden in tag characters) and which terminals and width tables disagree on: the
 * Hangul filler U+3164 takes two columns in a terminal and none in the tables, so a line of them
 * wrapped and threw off the count of lines `pending --watch` erases. They are the soft hyphen, the
 * combining grapheme joiner, the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the Khmer inherent
 * vowels, the Mongolian selectors and vowel separator, the zero-width space, the word joiner and
 * invisible operators (U+2060–U+2064), the deprecated format characters (U+206A–U+206F), the byte
 * order mark, the interlinear annotation marks, the shorthand format controls, the musical format
 * characters and the tag characters (U+E0000–U+E007F). The zero-width joiner and non-joiner and the
 * variation selectors stay: emoji and several scripts need them.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each code point is matched on its own, combining ones included, to be escaped.
  /[\u0000-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0000}-\u{e007f}]/gu;

/** Escapes a reader knows from JSON and shell; everything else is `\uXXXX`. */
const SHORT: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** `\u001b`; beyond the BMP `\u{e0041}`, one escape for the one character. */
function hex(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

function visible(char: string): string {
  return SHORT[char] ?? hex(char);
}

/**
 * Make untrusted text safe for one line of terminal output: every control, bidi or lone-surrogate
 * character becomes a visible escape (`\u001b`, `\u202e`, `\ud800`; tab, newline and carriage return as
 * `\t`, `\n`, `\r`). Printable text, including non-Latin scripts and emoji, is unchanged. Backslashes are
 * left alone, so the result is for reading, not for parsing back (`--json` carries the exact data).
 * Apply it to each untrusted piece before colouring: the program's own colour codes are the only
 * escapes that should reach the terminal.
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * Like {@link safeText} for a block meant to span lines (a pretty-printed input or output, a cause with
 * a stack trace): newlines and tabs stay, a Windows line end (CR LF) becomes a newline, and a lone
 * carriage return, which would let a line overwrite itself, is escaped.
 */
export function safeBlock(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(UNSAFE, (char) => (char === "\n" || char === "\t" ? char : visible(char)));
}

/**
 * Make JSON text safe for a terminal without changing the data it encodes. JSON.stringify escapes C0
 * controls and lone surrogates but writes DEL, C1 controls and bidi characters raw; outside strings
 * JSON has no such characters, so each becomes a `\uXXXX` escape that parses back to the same value.
 * Whitespace between tokens (newline, tab, carriage return) stays: inside strings it is escaped already.
 */
export function safeJson(json: string): string {
  // A character beyond the BMP (a tag character) is escaped as JSON writes it: as its surrogate pair.
  const units = (char: string) =>
    Array.from({ length: char.length }, (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");
  return json.replace(UNSAFE, (char) => (char in SHORT ? char : units(char)));
}

/** A colour (SGR) sequence, the only kind of escape the program's own styles write. */
const SGR = /\u001b\[[0-9;]*m/g;

/**
 * The output layer's guard, applied to every line it writes: each control, bidi or lone-surrogate
 * character becomes a visible escape as in {@link safeText}, except the colour (SGR) sequences of the
 * program's styles when `colour` is on. Newlines and tabs stay when `lines` is true (the default), as in
 * {@link safeBlock}. Because colour survives this guard, untrusted text must still pass `safeText` before
 * it is coloured or joined into a line: the guard only ensures a forgotten piece can at worst colour
 * text, never move the cursor, clear the screen, ring the bell, write the clipboard or reorder a line.
 */
export function safeOutput(text: string, options: { colour: boolean; lines?: boolean }): string {
  const neutralise = options.lines === false ? safeText : safeBlock;
  if (!options.colour) return neutralise(text);
  let safe = "";
  let from = 0;
  for (const match of text.matchAll(SGR)) {
    safe += neutralise(text.slice(from, match.index)) + match[0];
    from = match.index + match[0].length;
  }
  return safe + neutralise(text.slice(from));
}
