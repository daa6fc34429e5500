import { awsErrorName } from "../errors.js";
import { sleep as defaultSleep } from "./async.js";

/** Options of {@link mapAdaptive}. */
export interface AdaptiveOptions {
  /** Calls in flight at the start; default 50 (Step Functions' read buckets hold 250 to 400 calls). */
  initial?: number;
  /** Most calls in flight; default 100. */
  max?: number;
  /** Fewest calls in flight; default 1. */
  min?: number;
  /** Whether an error says the service throttled the call (it is then retried); default {@link isThrottling}. */
  isThrottle?: (error: unknown) => boolean;
  /** Throttled without a single success for this long, give up with the throttling error; default 60 s. */
  giveUpMs?: number;
  /** Called after each throttled call with the new window, for `--debug` and tests; default none. */
  onThrottle?: (limit: number) => void;
  /** The pause after a throttled call, and the clock it is measured on; default the real ones. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** First pause after a throttled call, doubling while calls keep being throttled, up to {@link MAX_PAUSE_MS}. */
const FIRST_PAUSE_MS = 50;
const MAX_PAUSE_MS = 2_000;

/** Whether an AWS error is the service's throttling answer. */
export function isThrottling(error: unknown): boolean {
  return /Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/i.test(awsErrorName(error) ?? "");
}

/**
 * Map over items with a window of calls in flight that adapts to the service: it starts wide, so a
 * burst quota is spent at once, widens by one call per window of successes, and halves (at most once
 * per pause) when a call is throttled. A throttled call goes back to the front of the queue and new
 * calls wait out a jittered pause that doubles while throttling goes on, so throttling does not
 * surface as an error unless nothing succeeds for `giveUpMs`. Any other error rejects at once. Results keep the input order.
 */
export function mapAdaptive<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => Promise<R>,
  options: AdaptiveOptions = {},
): Promise<R[]> {
  const { max = 100, min = 1, isThrottle = isThrottling, sleep = defaultSleep, now = () => performance.now() } = options;
  const results = new Array<R>(items.length);
  const queue = items.map((_, index) => index);
  let limit = Math.min(max, Math.max(min, options.initial ?? 50));
  let active = 0;
  let pause = 0;
  let pausedUntil = 0;
  let waking = false;
  let failed = false;
  let progressAt = now();
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (failed) return;
      if (queue.length === 0 && active === 0) return resolve(results);
      const wait = pausedUntil - now();
      if (wait > 0) {
        if (!waking) {
          waking = true;
          sleep(wait).then(() => {
            waking = false;
            pump();
          }, fail);
        }
        return;
      }
      while (active < Math.floor(limit) && queue.length > 0) start(queue.shift() as number);
    };
    const start = (index: number) => {
      active++;
      fn(items[index] as T, index).then(
        (result) => {
          active--;
          results[index] = result;
          progressAt = now();
          pause = 0;
          limit = Math.min(max, limit + 1 / limit);
          pump();
        },
        (error) => {
          active--;
          const at = now();
          // A service that throttles everything for a minute is not going to recover for this command.
          if (!isThrottle(error) || at - progressAt > (options.giveUpMs ?? 60_000)) return fail(error);
          queue.unshift(index);
          // Calls in flight when the bucket ran dry come back throttled together: halve once for them.
          if (at >= pausedUntil) {
            limit = Math.max(min, limit / 2);
            pause = Math.min(MAX_PAUSE_MS, pause ? pause * 2 : FIRST_PAUSE_MS);
            pausedUntil = at + pause * (0.5 + Math.random() / 2);
          }
          options.onThrottle?.(Math.floor(limit));
          pump();
        },
      );
    };
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    pump();
  });
}
