// Text an attacker who may call StartExecution, SendTaskFailure or name a resource can make the CLI
// print. Unit tests feed it to the neutralising function; integration and terminal tests send it
// through AWS (it is all valid UTF-8, so it survives the round trip) and check what reaches the screen.

/** One hostile string and what it would do to a terminal printed raw. */
export interface HostileSample {
  name: string;
  text: string;
  /** What the raw text would do. */
  effect: string;
}

/** The corpus, each string carrying at least one character that must never reach a terminal raw. */
export const HOSTILE: readonly HostileSample[] = [
  { name: "osc52", text: "\u001b]52;c;ZWNobyBwd25lZA==\u0007", effect: "writes `echo pwned` to the clipboard" },
  {
    name: "osc8",
    text: "\u001b]8;;https://evil.example/\u001b\\Approve here\u001b]8;;\u001b\\",
    effect: "a hyperlink whose target is hidden",
  },
  { name: "csi2j", text: "\u001b[2J\u001b[H", effect: "clears the screen and homes the cursor" },
  { name: "sgr", text: "\u001b[31mred\u001b[0m", effect: "colours text as if the program did" },
  { name: "bel", text: "ding\u0007", effect: "rings the bell" },
  { name: "backspace", text: "approve\b\b\b\b\b\b\breject ", effect: "overwrites `approve` with `reject`" },
  { name: "carriage-return", text: "rejected\rapproved", effect: "overwrites the line's start" },
  { name: "c1-csi", text: "\u009b2J\u009b31mred", effect: "the 8-bit CSI: clears the screen where C1 controls are honoured" },
  { name: "c1-osc", text: "\u009d52;c;ZWNobyBwd25lZA==\u009c", effect: "the 8-bit OSC 52" },
  { name: "rlo", text: "invoice\u202efdp.exe", effect: "reads as invoiceexe.pdf" },
  { name: "isolate", text: "\u2067admin\u2069 approved", effect: "reorders the words around it" },
  { name: "del", text: "a\u007fb", effect: "DEL, erases on some terminals" },
  { name: "newline", text: "ok\nerror: forged second line", effect: "forges an error line" },
];

/** All samples in one JSON object (`Comment` is the OSC 52 one), as an execution input to start with. */
export function hostileInput(): string {
  const fields = Object.fromEntries(HOSTILE.map((sample) => [sample.name, sample.text]));
  return JSON.stringify({ Comment: HOSTILE[0]!.text, ...fields });
}

/**
 * Characters of `output` that a terminal would act on other than the program's own colour (SGR)
 * sequences and line ends: an empty list means the output is safe to show. Each is returned with
 * its code point and a little context, for the test's failure message.
 */
export function rawControls(output: string): string[] {
  const withoutColour = output.replace(/\u001b\[[0-9;]*m/g, "");
  const found: string[] = [];
  const unsafe = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  for (const match of withoutColour.matchAll(unsafe)) {
    const code = match[0].charCodeAt(0).toString(16).padStart(4, "0");
    const around = withoutColour.slice(Math.max(0, match.index - 10), match.index + 10);
    found.push(`U+${code.toUpperCase()} in ${JSON.stringify(around)}`);
  }
  return found;
}
