import { describe, expect, it } from "vitest";
import { isThrottling, mapAdaptive } from "../../src/lib/adaptive.js";

const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
/** A clock that moves only when the code under test pauses. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

/** A service with a token bucket of `burst` calls that refills only when `refill()` is called. */
function bucket(burst: number) {
  let tokens = burst;
  let inFlight = 0;
  let widest = 0;
  let throttles = 0;
  return {
    async call(item: number): Promise<number> {
      inFlight++;
      widest = Math.max(widest, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (tokens < 1) {
        throttles++;
        tokens += 1; // refills while the caller backs off
        throw throttled();
      }
      tokens--;
      return item * 2;
    },
    stats: () => ({ widest, throttles }),
  };
}

describe("mapAdaptive", () => {
  it("goes wider than 10 calls in flight while the service keeps up", async () => {
    const service = bucket(1000);
    const items = Array.from({ length: 200 }, (_, i) => i);
    expect(await mapAdaptive(items, (i) => service.call(i), fakeTime())).toEqual(items.map((i) => i * 2));
    expect(service.stats().widest).toBeGreaterThan(10);
  });

  it("retries throttled calls, narrows its window and surfaces no error", async () => {
    const service = bucket(30);
    const items = Array.from({ length: 120 }, (_, i) => i);
    const windows: number[] = [];
    const results = await mapAdaptive(items, (i) => service.call(i), { ...fakeTime(), onThrottle: (limit) => windows.push(limit) });
    expect(results).toEqual(items.map((i) => i * 2));
    expect(service.stats().throttles).toBeGreaterThan(0);
    expect(Math.min(...windows)).toBeLessThan(50);
  });

  it("gives up when nothing but throttling comes back for a minute", async () => {
    const always = async () => {
      throw throttled();
    };
    await expect(mapAdaptive([1, 2, 3], always, fakeTime())).rejects.toThrow("Rate exceeded");
  });

  it("rejects at once on any other error", async () => {
    const items = [1, 2, 3];
    await expect(
      mapAdaptive(
        items,
        async (i) => {
          if (i === 2) throw new Error("AccessDenied");
          return i;
        },
        fakeTime(),
      ),
    ).rejects.toThrow("AccessDenied");
  });

  it("knows the services' throttling answers", () => {
    expect(isThrottling(throttled())).toBe(true);
    expect(isThrottling(Object.assign(new Error("x"), { name: "Throttling", $metadata: {} }))).toBe(true);
    expect(isThrottling(Object.assign(new Error("x"), { name: "TaskTimedOut", $metadata: {} }))).toBe(false);
  });
});
