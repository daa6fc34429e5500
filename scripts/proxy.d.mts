/** A token bucket: its size and how many tokens it regains per second. */
export interface Quota {
  burst: number;
  perSecond: number;
}

export const STEP_FUNCTIONS_QUOTAS: Record<"GetExecutionHistory" | "ListExecutions" | "SendTaskSuccess", Quota>;

export interface FaultOptions {
  /** Fraction of requests (0..1) answered with a fault instead of being forwarded. */
  rate: number;
  /** Faults to pick from; default both. */
  kinds?: Array<"throttle" | "500">;
  /** Operations to inject into; default all. */
  operations?: string[];
  /** Seed for repeatable runs; default random. */
  seed?: number;
}

export interface ProxyStats {
  /** Requests received per operation (including throttled and faulted ones). */
  calls: Record<string, number>;
  /** Requests the token buckets answered with throttling, per operation. */
  throttled: Record<string, number>;
  /** Requests answered by fault injection, per operation. */
  faults: Record<string, number>;
  /** All requests received. */
  total: number;
}

export interface EmulatorProxy {
  endpoint: string;
  port: number;
  /** Live counters. */
  stats: ProxyStats;
  /** Zero the counters and refill every bucket. */
  reset(): void;
  /** Change the faults of later requests. */
  setFaults(faults: FaultOptions | undefined): void;
  stop(): Promise<void>;
}

export function startProxy(options: {
  target: string;
  delayMs?: number;
  throttle?: boolean | Record<string, Quota>;
  faults?: FaultOptions;
}): Promise<EmulatorProxy>;
