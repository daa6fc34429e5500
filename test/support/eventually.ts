/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** How long to keep trying, in milliseconds, before failing. Required: no poll waits forever. */
  deadline: number;
  /** Pause between tries, in milliseconds. Default 100. */
  interval?: number;
  /** What was awaited, for the failure's message. Default "the condition". */
  what?: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Call `check` until it returns a value other than `undefined`, `null` or `false`, and return that
 * value. A `check` that throws (an `expect` not met yet) counts as not yet. At the deadline it
 * fails, naming what it awaited and the last error `check` threw. One more try is made at the
 * deadline, so a slow machine that gets there just in time passes.
 */
export async function eventually<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: EventuallyOptions,
): Promise<T> {
  const { deadline, interval = 100, what = "the condition" } = options;
  const end = Date.now() + deadline;
  let lastError: unknown;
  for (;;) {
    const last = Date.now() >= end;
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (last) break;
    await pause(Math.min(interval, Math.max(0, end - Date.now())));
  }
  const because = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`Gave up after ${deadline} ms waiting for ${what}${because}`, { cause: lastError });
}
