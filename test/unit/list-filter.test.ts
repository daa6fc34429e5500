import { describe, expect, it } from "vitest";
import { parseListFlags, parseSince } from "../../src/core/executions/list-filter.js";
import { usageError } from "./fixtures.js";

const now = new Date("2026-11-25T12:00:00.000Z");

describe("parseListFlags", () => {
  it("takes each outcome, in any case and with _ or - ", () => {
    expect(parseListFlags({ status: "Approved" }, now).status).toBe("approved");
    expect(parseListFlags({ status: "timed_out" }, now).status).toBe("timed-out");
    expect(parseListFlags({ status: "timedout" }, now).status).toBe("timed-out");
  });
  it("refuses an unknown outcome, naming the known ones", () => {
    const error = usageError(() => parseListFlags({ status: "done" }, now));
    expect(error.message).toBe('--status "done" is not an outcome.');
    expect(error.hint).toBe("Use one of: approved, rejected, failed, timed-out, aborted, waiting.");
  });
  it.each(["0", "1001", "-1", "ten", "1.5", ""])("refuses --limit %j", (limit) => {
    expect(usageError(() => parseListFlags({ limit }, now)).message).toMatch(/^--limit .* is not a whole number from 1 to 1000\.$/);
  });
  it("takes --limit from 1 to 1000", () => {
    expect(parseListFlags({ limit: "1" }, now).limit).toBe(1);
    expect(parseListFlags({ limit: "1000" }, now).limit).toBe(1000);
  });
});

describe("parseSince", () => {
  it.each([
    ["90s", "2026-11-25T11:58:30.000Z"],
    ["30m", "2026-11-25T11:30:00.000Z"],
    ["12h", "2026-11-25T00:00:00.000Z"],
    ["7d", "2026-11-18T12:00:00.000Z"],
    ["2w", "2026-11-11T12:00:00.000Z"],
    ["2026-11-30", "2026-11-30T00:00:00.000Z"],
    ["2026-11-24T09:30:00Z", "2026-11-24T09:30:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(parseSince(text, now).toISOString()).toBe(iso);
  });
  it.each(["yesterday", "3x", "2026-13-01", "30 m", "1e3s"])("refuses %j", (text) => {
    expect(usageError(() => parseSince(text, now)).message).toBe(`--since ${JSON.stringify(text)} is neither a duration nor a date.`);
  });
});
