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
