import { describe, expect, it } from "vitest";
import { eventually } from "../support/eventually.js";

describe("eventually", () => {
  it("returns the first value the check gives, after retrying the misses and the throws", async () => {
    let calls = 0;
    const value = await eventually(
      () => {
        calls++;
        if (calls === 1) return undefined;
        if (calls === 2) throw new Error("not yet");
        return calls === 3 ? false : { calls };
      },
      { deadline: 2_000, interval: 1 },
    );
    expect(value).toEqual({ calls: 4 });
  });

  it("fails at its deadline, naming what it awaited and the check's last error", async () => {
    const started = Date.now();
    await expect(
      eventually(
        () => {
          throw new Error("expected RUNNING to be SUCCEEDED");
        },
        { deadline: 200, interval: 20, what: "the execution to end" },
      ),
    ).rejects.toThrow(/^Gave up after 200 ms waiting for the execution to end: expected RUNNING to be SUCCEEDED$/);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(2_000);
  });

  it("tries once more at the deadline", async () => {
    const end = Date.now() + 100;
    await expect(eventually(() => Date.now() >= end, { deadline: 100, interval: 1_000 })).resolves.toBe(true);
  });
});
