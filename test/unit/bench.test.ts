import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { END, START, updateReadme } from "../../scripts/bench-readme.mjs";
import { alternate, type Sample, summarize } from "../../scripts/bench-run.mjs";
import { type BenchConfig, type BenchRow, targets } from "../../scripts/bench-targets.mjs";

const config: BenchConfig = {
  quick: false,
  n: 1000,
  warmN: 100,
  memoryN: 5000,
  batch: 100,
  runs: 5,
  sequentialRuns: 3,
  memoryRuns: 3,
  delayMs: 50,
  slowDelayMs: 400,
  bucket: { burst: 400, perSecond: 20 },
  phases: [],
  baseline: "boto3",
};

function row(median: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { label: "", runs: 5, ms: { min: median, median, max: median }, ok: true, errors: [], ...extra };
}

/** Rows that meet every target exactly at its limit. */
function rowsAtTheLimits(): Record<string, BenchRow> {
  return {
    "warm.fast": row(1000, { calls: 2, callsMax: 2 }),
    "warm.slow": row(1600, { calls: 2, callsMax: 2 }),
    "startup.node": row(100),
    "startup.warm": row(250),
    "approve.cli": row(6000, {
      n: 100,
      callsMax: 201,
      byOperation: { DescribeStateMachineForExecution: 100, SendTaskSuccess: 100, GetCallerIdentity: 1 },
    }),
    "approve.loop": row(5000, { n: 100 }),
    "bucket.cold": row(33_000, { found: 1000, throttled: 12 }),
    "emulator.cold": row(11_500, { found: 1000, n: 1000, cacheBytes: 300_000 }),
    "emulator.serial": row(10_000, { n: 1000 }),
    "memory.cold": row(60_000, { n: 5000, rssKb: 146_000, cacheBytes: 1_500_000 }),
  };
}

describe("alternate", () => {
  it("rotates which case goes first, round by round, and leaves out rounds a case sits out", async () => {
    const order: string[] = [];
    const sample = (key: string) => async (round: number) => {
      order.push(`${key}${round}`);
      return key === "c" && round > 0 ? undefined : { ok: true, ms: round };
    };
    const samples = await alternate(3, { a: sample("a"), b: sample("b"), c: sample("c") });
    expect(order).toEqual(["a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2"]);
    expect(samples.a).toHaveLength(3);
    expect(samples.c).toHaveLength(1);
  });
});

describe("summarize", () => {
  it("gives min, median and max of the wall times, the median and most requests, and the failures", () => {
    const samples: Sample[] = [
      { ok: true, ms: 30, calls: 3 },
      { ok: true, ms: 10, calls: 3 },
      { ok: false, ms: 20, calls: 5, error: "boom" },
    ];
    const summary = summarize(samples);
    expect(summary.ms).toEqual({ min: 10, median: 20, max: 30 });
    expect([summary.calls, summary.callsMax]).toEqual([3, 5]);
    expect(summary.ok).toBe(false);
    expect(summary.errors).toEqual(["boom"]);
  });
});

describe("targets", () => {
  it("are met exactly at their limits", () => {
    const verdicts = targets({ rows: rowsAtTheLimits(), config });
    expect(verdicts).toHaveLength(9);
    expect(verdicts.filter((t) => t.met !== true)).toEqual([]);
  });

  it("are not met just past their limits", () => {
    const past: Record<string, Partial<BenchRow>> = {
      "warm.slow": { ms: { median: 1601 } },
      "warm.fast": { callsMax: 3 },
      "startup.warm": { ms: { median: 251 } },
      "approve.cli": { callsMax: 202, ms: { median: 6001 } },
      "bucket.cold": { ms: { median: 33_001 } },
      "emulator.cold": { ms: { median: 11_501 } },
      "memory.cold": { rssKb: 146_485, cacheBytes: 1_800_000 },
    };
    for (const [id, change] of Object.entries(past)) {
      const rows = rowsAtTheLimits();
      rows[id] = { ...rows[id], ...change } as BenchRow;
      const missed = targets({ rows, config }).filter((t) => t.met === false);
      expect(missed.length, id).toBeGreaterThan(0);
    }
  });

  it("count one GetCallerIdentity per command apart from the requests per execution, and no more", () => {
    const rows = rowsAtTheLimits();
    const decisions = () => targets({ rows, config }).find((t) => t.target.includes("requests per execution"));
    expect(decisions()?.met).toBe(true);
    expect(decisions()?.measured).toMatch(/^2\.00 per execution \+ 1 GetCallerIdentity \(201 for 100: /);
    rows["approve.cli"] = {
      ...rows["approve.cli"],
      byOperation: { DescribeStateMachineForExecution: 99, SendTaskSuccess: 100, GetCallerIdentity: 2 },
    } as BenchRow;
    expect(decisions()?.met).toBe(false);
  });

  it("are not met when a run failed or found too few, and not measured without their rows", () => {
    const rows = rowsAtTheLimits();
    rows["bucket.cold"] = row(20_000, { found: 999 });
    rows["approve.loop"] = row(5000, { ok: false });
    rows["approve.check"] = { label: "", succeeded: 199, expected: 200 };
    delete rows["memory.cold"];
    const byName = (word: string) => targets({ rows, config }).find((t) => t.target.includes(word));
    expect(byName("quota floor")?.met).toBe(false);
    expect(byName("SendTaskSuccess loop")?.met).toBe(false);
    expect(byName("requests per execution")?.met).toBe(false);
    expect(byName("peak RSS")?.met).toBeUndefined();
    expect(byName("grows linearly")?.met).toBeUndefined();
  });
});

describe("the approvals target", () => {
  it("gives the emulator's pace with 10 calls in flight beside the ratio, when it was measured", () => {
    const rows = rowsAtTheLimits();
    const approvals = () => targets({ rows, config }).find((t) => t.target.includes("SendTaskSuccess loop"));
    expect(approvals()?.measured).toBe("1.20× (6.00 s vs 5.00 s)");
    rows["approve.threads"] = row(5900, { n: 100 });
    expect(approvals()?.measured).toBe("1.20× (6.00 s vs 5.00 s; the same calls from 10 threads: 5.90 s)");
    expect(approvals()?.met).toBe(true);
  });
});

describe("updateReadme", () => {
  it("replaces only what lies between the markers", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bench-readme-")), "README.md");
    writeFileSync(path, `# Title\n\n${START}\nold numbers\n${END}\n\nAfter.\n`);
    updateReadme(path, "| new | table |\n");
    expect(readFileSync(path, "utf8")).toBe(`# Title\n\n${START}\n\n| new | table |\n\n${END}\n\nAfter.\n`);
  });

  it("refuses a README without the markers", () => {
    const path = join(mkdtempSync(join(tmpdir(), "bench-readme-")), "README.md");
    writeFileSync(path, "# Title\n");
    expect(() => updateReadme(path, "x")).toThrow(/no benchmark markers/);
  });
});
