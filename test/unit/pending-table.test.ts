import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { PendingExecution } from "../../src/core/executions/waiting.js";
import { Output } from "../../src/output/output.js";
import { printPendingTable } from "../../src/output/pending-table.js";

const now = new Date("2026-11-25T12:00:00.000Z");
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function execution(name: string, startedMinutesAgo: number, leftMinutes: number | undefined, comment: string): PendingExecution {
  return {
    name,
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`,
    startDate: minutes(-startedMinutesAgo),
    waitingSince: minutes(-startedMinutesAgo),
    expiresAt: leftMinutes === undefined ? undefined : minutes(leftMinutes),
    input: JSON.stringify({ Comment: comment }),
    token: "secret-token",
  };
}

function render(pending: PendingExecution[], terminal?: { columns: number; color?: boolean }, links = false): string {
  let text = "";
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  Object.assign(stdout, terminal ? { isTTY: true, columns: terminal.columns } : {});
  const stderr = new Writable({ write: (_c, _e, done) => done() });
  const env = terminal?.color ? {} : { NO_COLOR: "1" };
  const out = new Output({ stdout, stderr, stdin: { isTTY: false } as unknown as NodeJS.ReadableStream }, {}, env);
  printPendingTable(out, pending, {
    now,
    links: links ? (p) => ({ approve: `https://api/approve?ex=${p.name}`, reject: `https://api/reject?ex=${p.name}` }) : undefined,
  });
  return text;
}

const pending = [
  execution("release-2-4", 12, 47, "Release 2.4 to production after the change review"),
  execution("hotfix", 55, 5, "Hotfix for the login page"),
  execution("no-timeout", 3, undefined, "Runs until decided"),
];

describe("printPendingTable", () => {
  it("aligns columns with relative times and the comment", () => {
    expect(render(pending)).toBe(
      [
        "NAME         STARTED     WAITING FOR  TIME LEFT    COMMENT",
        "release-2-4  12 min ago  12 min       47 min left  Release 2.4 to production after the change review",
        "hotfix       55 min ago  55 min       5 min left   Hotfix for the login page",
        "no-timeout   3 min ago   3 min        no timeout   Runs until decided",
        "",
      ].join("\n"),
    );
  });

  it("highlights only a time left under ten minutes", () => {
    const text = render(pending, { columns: 200, color: true });
    expect(text).toContain("\u001b[1m\u001b[33m5 min left\u001b[39m\u001b[22m");
    expect(text).not.toContain("\u001b[33m47 min left");
  });

  it("shortens the comment so rows fit the terminal", () => {
    const lines = render(pending, { columns: 90 }).trimEnd().split("\n");
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(90);
    expect(lines[1]).toMatch(/ Release 2\.4 to production after the ch…$/);
    expect(lines[1]).toHaveLength(90);
  });

  it("cuts nothing in a pipe, however long the comment", () => {
    const long = "x".repeat(150);
    expect(render([execution("long", 1, 30, long)])).toContain(` ${long}\n`);
  });

  it("fits 80 columns with a UUID name: the comment shrinks first, then the name keeps both ends", () => {
    const uuid = "3f2b8c1e-9d4a-4e6f-8b7c-2a1d0e9f8c7b";
    const rows = [execution(uuid, 12, 47, "Release 2.4 to production after the change review"), ...pending];
    const at80 = render(rows, { columns: 80 }).trimEnd().split("\n");
    for (const line of at80) expect(line.length).toBeLessThanOrEqual(80);
    expect(at80[1]).toMatch(/^3f2b8c1e-9d4.*….*8c7b {2}12 min ago/);
    expect(at80[1]).toMatch(/ Release 2\.4.*…$/);
    const at200 = render(rows, { columns: 200 }).trimEnd().split("\n");
    expect(at200[1]).toMatch(new RegExp(`^${uuid} .* Release 2\\.4 to production after the change review$`));
  });

  it("shows STARTED and WAITING FOR with one rounding", () => {
    const p = execution("edge", 0, 30, "x");
    const ninety = new Date(now.getTime() - 90_000);
    const row = render([{ ...p, startDate: ninety, waitingSince: ninety }]).split("\n")[1];
    expect(row).toMatch(/^edge {2}2 min ago {2}2 min /);
  });

  it("prints the links under each row with --links", () => {
    const lines = render(pending.slice(0, 2), undefined, true).trimEnd().split("\n");
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^release-2-4 /),
      "  approve https://api/approve?ex=release-2-4",
      "  reject  https://api/reject?ex=release-2-4",
      expect.stringMatching(/^hotfix /),
      "  approve https://api/approve?ex=hotfix",
      "  reject  https://api/reject?ex=hotfix",
    ]);
  });
});
