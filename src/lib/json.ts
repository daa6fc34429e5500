/**
 * JSON text as its value; text that is not JSON as itself; nothing as null. For `--json` documents
 * that carry an execution's input or output, which Step Functions holds as text.
 */
export function jsonOrText(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
