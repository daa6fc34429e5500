// StringMatches of JSONPath Choice rules: `*` matches any run of characters, `\*` is a star, `\\` a backslash.

/** A pattern of StringMatches as pieces: literal text and `*` wildcards; undefined for an escape AWS does not define. */
export function patternPieces(pattern: string): (string | { star: true })[] | undefined {
  const pieces: (string | { star: true })[] = [];
  let text = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[++i];
      if (next !== "*" && next !== "\\") return undefined;
      text += next;
    } else if (c === "*") {
      pieces.push(text, { star: true });
      text = "";
    } else text += c;
  }
  pieces.push(text);
  return pieces.filter((p) => p !== "");
}

/** The shortest string a StringMatches pattern accepts: its literal text, wildcards matching nothing. */
export function matchingString(pattern: string): string | undefined {
  return patternPieces(pattern)
    ?.filter((p) => typeof p === "string")
    .join("");
}

/** Whether `value` matches a StringMatches pattern (`*` matches any run of characters, `\*` a star). */
export function globMatches(pattern: string, value: string): boolean | undefined {
  const pieces = patternPieces(pattern);
  if (!pieces) return undefined;
  // Greedy with one backtrack point per star: linear in practice, no regular expression built from outside text.
  let [p, v, starP, starV] = [0, 0, -1, 0];
  const literal = (i: number) => (typeof pieces[i] === "string" ? (pieces[i] as string) : undefined);
  while (v < value.length || p < pieces.length) {
    const text = literal(p);
    if (p < pieces.length && text === undefined) {
      [starP, starV, p] = [p, v, p + 1];
    } else if (text !== undefined && value.startsWith(text, v)) {
      [p, v] = [p + 1, v + text.length];
    } else if (starP >= 0 && starV < value.length) {
      [p, v, starV] = [starP + 1, starV + 1, starV + 1];
    } else return false;
  }
  return true;
}
