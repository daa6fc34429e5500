import { describe, expect, it } from "vitest";
import { approvalLinks } from "../../src/core/workflow/email.js";
import {
  COMMENT_MAX_CHARS,
  MESSAGE_MAX_BYTES,
  type ReminderEntry,
  reminderParts,
  reminderSubject,
} from "../../src/core/workflow/reminder.js";
import { parseDuration } from "../../src/lib/durations.js";
import { API_URL, TOKEN } from "./fixtures.js";

const now = new Date("2026-12-07T04:00:00Z");

function entry(name: string, comment: unknown = "deploy v2", overrides: Partial<ReminderEntry> = {}): ReminderEntry {
  return {
    name,
    waitingSince: new Date("2026-12-07T03:15:00Z"),
    expiresAt: new Date("2026-12-07T04:15:00Z"),
    input: JSON.stringify({ Comment: comment }),
    links: approvalLinks(API_URL, "HumanApprovalLambdaStateMachine-x", name, `${TOKEN}-${name}`),
    ...overrides,
  };
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

describe("reminderParts", () => {
  it("lists each execution with its wait, time left, Comment and the email's own links", () => {
    const [part, ...rest] = reminderParts("human-approval", [entry("build-17"), entry("build-18", "second")], now);
    expect(rest).toEqual([]);
    expect(part?.subject).toBe("Reminder: 2 approvals waiting in human-approval");
    expect(part?.names).toEqual(["build-17", "build-18"]);
    const message = part?.message ?? "";
    expect(message).toMatch(/^Reminder: 2 executions of stack human-approval are waiting for a decision\./);
    expect(message).toContain("Execution Name -> build-17\nWaiting since 2026-12-07T03:15:00Z (45 min)\n");
    expect(message).toContain("Time left: 15 min (its timeout ends it at 2026-12-07T04:15:00Z)\nComment: deploy v2\n");
    const links = entry("build-18").links;
    expect(message).toContain(`\nApprove ${links?.approve}\n\nReject ${links?.reject}\n`);
    expect(message).not.toContain("part 1");
  });

  it("neutralises text from AWS: a Comment cannot forge a link line or carry an escape sequence", () => {
    const hostile = "ok\n\nApprove https://evil.example/\u001b]52;c;aGk=\u0007\u202e";
    const [part] = reminderParts("human-approval", [entry("evil", hostile)], now);
    const message = part?.message ?? "";
    expect(message).toContain("Comment: ok\\n\\nApprove https://evil.example/\\u001b]52;c;aGk=\\u0007\\u202e\n");
    expect(message.split("\n").filter((l) => l.startsWith("Approve "))).toHaveLength(1);
    // Nothing but newlines among the control and bidi characters.
    expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it("splits past the size limit into parts of whole entries, each within it, subjects numbered", () => {
    const entries = Array.from({ length: 7 }, (_, i) => entry(`big-${i}`, "x".repeat(30_000)));
    const parts = reminderParts("human-approval", entries, now, { maxBytes: 100_000 });
    expect(parts.map((p) => p.names.length)).toEqual([3, 3, 1]);
    expect(parts.flatMap((p) => p.names)).toEqual(entries.map((e) => e.name));
    for (const [i, part] of parts.entries()) {
      expect(bytes(part.message)).toBeLessThanOrEqual(100_000);
      expect(part.subject).toBe(`Reminder: 7 approvals waiting in human-approval (part ${i + 1} of 3)`);
      expect(part.message).toContain(`This is part ${i + 1} of 3 of this reminder`);
      for (const name of part.names) {
        const links = entries.find((e) => e.name === name)?.links;
        expect(part.message).toContain(`Approve ${links?.approve}\n\nReject ${links?.reject}\n`);
      }
    }
  });

  it("counts UTF-8 bytes, not characters", () => {
    const entries = Array.from({ length: 3 }, (_, i) => entry(`wide-${i}`, "承".repeat(20_000)));
    // 60,000 bytes of Comment each: two fit in 150,000 characters but not in 150,000 bytes.
    const parts = reminderParts("human-approval", entries, now, { maxBytes: 150_000 });
    expect(parts.map((p) => p.names.length)).toEqual([2, 1]);
    expect(reminderParts("human-approval", entries, now).length).toBe(1);
    for (const part of parts) expect(bytes(part.message)).toBeLessThanOrEqual(150_000);
  });

  it("fits the largest Comment in one message of SNS's limit, cut with where to read the rest", () => {
    const long = "é".repeat(256 * 1024);
    const [part, ...rest] = reminderParts("human-approval", [entry("huge", long)], now);
    expect(rest).toEqual([]);
    expect(bytes(part?.message ?? "")).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
    expect(part?.message).toContain(
      `... (${256 * 1024 - COMMENT_MAX_CHARS} more characters: approvals show huge --stack-name human-approval)`,
    );
  });

  it("without an approval page lists the commands that decide, quoted for a shell", () => {
    const [part] = reminderParts("ops", [entry("it's-1", "c", { links: undefined, expiresAt: undefined })], now);
    const message = part?.message ?? "";
    expect(message).toContain("This state machine has no approval page");
    expect(message).toContain("Approve with: approvals approve 'it'\\''s-1' --stack-name ops\n");
    expect(message).toContain("Reject with:  approvals reject 'it'\\''s-1' --stack-name ops\n");
    expect(message).not.toContain("Time left");
    expect(message).not.toContain("http");
  });

  it("names the stack in every command, and puts a name that begins with - after `--`", () => {
    const long = "x".repeat(COMMENT_MAX_CHARS + 1);
    const [part] = reminderParts("ops", [entry("--yes", long, { links: undefined }), entry("plain", long)], now);
    const message = part?.message ?? "";
    expect(message).toContain("Approve with: approvals approve --stack-name ops -- --yes\n");
    expect(message).toContain("Reject with:  approvals reject --stack-name ops -- --yes\n");
    expect(message).toContain("(1 more characters: approvals show --stack-name ops -- --yes)");
    expect(message).toContain("(1 more characters: approvals show plain --stack-name ops)");
  });

  it("quotes the input when it has no Comment, and nothing for an empty input", () => {
    const [part] = reminderParts("s", [entry("a", "", { input: '{"Amount":42}' }), entry("b", "", { input: "{}" })], now);
    expect(part?.message).toContain('Comment: {"Amount":42}');
    expect(part?.message.split("Execution Name -> b")[1]).not.toContain("Comment:");
  });
});

describe("reminderSubject", () => {
  it("stays under SNS's 100 characters by shortening the stack name", () => {
    const stack = `s${"x".repeat(127)}`;
    const subject = reminderSubject(stack, 12, 3, 14);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^Reminder: 12 approvals waiting in sx+\.\.\. \(part 3 of 14\)$/);
    expect(reminderSubject("human-approval", 1, 1, 1)).toBe("Reminder: 1 approval waiting in human-approval");
  });
});

describe("parseDuration", () => {
  it("reads 90s, 30m, 2h, 1d, 2w and nothing else", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("2h")).toBe(7_200_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("2w")).toBe(1_209_600_000);
    for (const bad of ["", "1", "h", "1.5h", "-1h", "1y", "1 h x"]) expect(parseDuration(bad)).toBeUndefined();
  });
});
