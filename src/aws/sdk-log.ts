// The SDK's logger is called with strings (warnings) and with objects: after a failed call it logs
// `{ clientName, commandName, input, error, metadata }`. Printed with String() that reads
// "[object Object]"; printed whole it would show the call's input, task tokens included. Only the
// SDK's own words are kept: the call and its error's name and message.

interface SdkLogEntry {
  clientName?: unknown;
  commandName?: unknown;
  error?: unknown;
  message?: unknown;
}

/** One logged value in words: a string as it is, an error as `name: message`, a call's log entry as `Service.Operation failed: ...`. */
function describeValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value && typeof value === "object") {
    const entry = value as SdkLogEntry;
    if (entry.error !== undefined) {
      const client = String(entry.clientName ?? "").replace(/Client$/, "");
      const command = String(entry.commandName ?? "").replace(/Command$/, "");
      const call = client && command ? `${client}.${command}` : client || command || "a call";
      return `${call} failed: ${describeValue(entry.error)}`;
    }
    if (typeof entry.message === "string") return entry.message;
    return `a log entry with ${Object.keys(value).join(", ") || "no fields"}`;
  }
  return String(value);
}

/**
 * What the SDK's logger was called with, as one readable text (its first line is what `--debug` shows).
 * Never includes a call's input: it may carry a task token.
 * @param content The logger method's arguments.
 */
export function describeSdkLog(content: readonly unknown[]): string {
  return content.map(describeValue).join(" ");
}
