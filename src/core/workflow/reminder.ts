// The reminder `approvals remind` publishes to the stack's topic: a plain-text email, like the one the
// template's email function sends, listing every execution picked with the same links. Text that came
// from AWS (names, inputs, the API's URL) is neutralised: a Comment with a newline could otherwise
// forge an "Approve <link>" line of its own, and an escape sequence would reach a terminal mail reader.
import { duration } from "../../lib/durations.js";
import { safeText } from "../../lib/safe-text.js";
import { shellQuote } from "../suggest.js";
import type { ApprovalLinks } from "./email.js";

/** SNS's limit on a message: 256 KiB of UTF-8 (bytes, not characters). */
export const MESSAGE_MAX_BYTES = 262_144;
/** SNS's limit on a subject: fewer than 100 characters. */
export const SUBJECT_MAX_CHARS = 99;
/** Longest Comment quoted, in characters; the rest is left to `approvals show`. */
export const COMMENT_MAX_CHARS = 32_768;

/** One waiting execution, as the reminder lists it. */
export interface ReminderEntry {
  name: string;
  waitingSince: Date;
  /** When the state machine's timeout ends it, if it has one. */
  expiresAt: Date | undefined;
  /** The execution input (JSON text). */
  input: string | undefined;
  /** The Approve and Reject links; undefined when the state machine has no approval page. */
  links: ApprovalLinks | undefined;
}

/** One message to publish: whole entries only. */
export interface ReminderPart {
  subject: string;
  message: string;
  /** The executions it lists. */
  names: string[];
}

/** Options of {@link reminderParts}. */
export interface ReminderOptions {
  /** Largest message in UTF-8 bytes; default {@link MESSAGE_MAX_BYTES}. */
  maxBytes?: number;
}

const SEPARATOR = "\n----------------------------------------\n\n";
const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * The reminder for `entries`, split into as few messages as SNS's size limit allows, each listing
 * whole entries (an execution's links are never cut apart) in the order given. The subject names the
 * stack and the count, with "(part i of n)" when split. Pure: the same input gives the same text.
 */
export function reminderParts(stackName: string, entries: ReminderEntry[], now: Date, options: ReminderOptions = {}): ReminderPart[] {
  const maxBytes = options.maxBytes ?? MESSAGE_MAX_BYTES;
  const total = entries.length;
  const withLinks = entries.some((e) => e.links);
  // The header with the most digits it can have, so every part's real header fits the room left.
  const room = maxBytes - bytes(header(stackName, total, total, total, withLinks));
  const groups: { text: string; name: string }[][] = [];
  let used = Number.POSITIVE_INFINITY;
  for (const entry of entries) {
    const text = entryText(stackName, entry, now);
    const size = bytes(text) + bytes(SEPARATOR);
    if (size > room) throw new Error(`The reminder entry of ${safeText(entry.name)} alone exceeds ${maxBytes} bytes.`);
    if (used + size > room) {
      groups.push([]);
      used = 0;
    }
    groups.at(-1)?.push({ text, name: entry.name });
    used += size;
  }
  return groups.map((group, i) => ({
    subject: reminderSubject(stackName, total, i + 1, groups.length),
    message: header(stackName, total, i + 1, groups.length, withLinks) + group.map((g) => g.text).join(SEPARATOR),
    names: group.map((g) => g.name),
  }));
}

/** The subject: stack and count, shortened to SNS's limit by cutting the stack name (ASCII only, as stack names are). */
export function reminderSubject(stackName: string, count: number, part: number, parts: number): string {
  const tail = parts > 1 ? ` (part ${part} of ${parts})` : "";
  const make = (stack: string) => `Reminder: ${count} approval${count === 1 ? "" : "s"} waiting in ${stack}${tail}`;
  const whole = make(safeText(stackName));
  if (whole.length <= SUBJECT_MAX_CHARS) return whole;
  const keep = Math.max(0, safeText(stackName).length - (whole.length - SUBJECT_MAX_CHARS) - 3);
  return make(`${safeText(stackName).slice(0, keep)}...`);
}

function header(stackName: string, total: number, part: number, parts: number, withLinks: boolean): string {
  const these = total === 1 ? "1 execution of" : `${total} executions of`;
  return (
    `Reminder: ${these} stack ${safeText(stackName)} ${total === 1 ? "is" : "are"} waiting for a decision.\n\n` +
    (parts > 1 ? `This is part ${part} of ${parts} of this reminder; each part lists whole executions.\n\n` : "") +
    (withLinks
      ? "Each link opens a page that shows the execution; the decision is made there, with its Approve or Reject button.\n\n"
      : "This state machine has no approval page: decide with the approvals commands given for each execution.\n\n")
  );
}

function entryText(stackName: string, entry: ReminderEntry, now: Date): string {
  const name = safeText(entry.name);
  const lines = [
    `Execution Name -> ${name}`,
    `Waiting since ${isoTime(entry.waitingSince)} (${duration(now.getTime() - entry.waitingSince.getTime())})`,
  ];
  if (entry.expiresAt) {
    lines.push(
      `Time left: ${duration(Math.max(0, entry.expiresAt.getTime() - now.getTime()))} (its timeout ends it at ${isoTime(entry.expiresAt)})`,
    );
  }
  const comment = commentOf(entry.input, command("show", name, stackName));
  if (comment !== undefined) lines.push(`Comment: ${comment}`);
  lines.push("");
  if (entry.links) {
    lines.push(`Approve ${safeText(entry.links.approve)}`, "", `Reject ${safeText(entry.links.reject)}`);
  } else {
    lines.push(`Approve with: ${command("approve", name, stackName)}`, `Reject with:  ${command("reject", name, stackName)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The input's Comment (or the input itself when it has none), on one line, at most {@link COMMENT_MAX_CHARS}. */
function commentOf(input: string | undefined, show: string): string | undefined {
  if (!input) return undefined;
  let text = input;
  try {
    const value = JSON.parse(input);
    if (value && typeof value === "object" && !Array.isArray(value) && "Comment" in value) {
      text = typeof value.Comment === "string" ? value.Comment : JSON.stringify(value.Comment);
    } else if (value && typeof value === "object" && Object.keys(value).length === 0) {
      return undefined;
    }
  } catch {}
  // Counted in code points, so no character is cut in half.
  const chars = [...safeText(text)];
  if (chars.length <= COMMENT_MAX_CHARS) return chars.join("");
  return `${chars.slice(0, COMMENT_MAX_CHARS).join("")}... (${chars.length - COMMENT_MAX_CHARS} more characters: ${show})`;
}

/** `2026-12-07T03:00:00Z`: a time any reader's mail client shows the same. */
function isoTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * `approvals <verb> <name> --stack-name <stack>`, for a reader of the email to run: the stack always
 * named (the reader's default may be another), and a name that begins with `-` (Step Functions allows
 * `--yes`) after `--`, where it cannot be read as an option.
 */
function command(verb: string, name: string, stackName: string): string {
  const stack = `--stack-name ${shellQuote(safeText(stackName))}`;
  return name.startsWith("-") ? `approvals ${verb} ${stack} -- ${shellQuote(name)}` : `approvals ${verb} ${shellQuote(name)} ${stack}`;
}
