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

/** A reply lost on the way back: the emulator acts on the request, the client gets a 500 or a dropped connection. */
export interface LostReply {
  /** The operation whose replies are lost, e.g. `SendTaskSuccess`. */
  operation: string;
  /** How many of its next requests lose their reply (`Infinity`: all); default 1. */
  times?: number;
  /** What the client gets instead: HTTP 500 `InternalFailure`, or the connection cut; default `"500"`. */
  answer?: "500" | "drop";
}

/** Requests accepted and read but never answered nor forwarded. */
export interface BlackHole {
  /** Operations swallowed; default all. */
  operations?: string[];
}

/** Hold requests back before handling them. */
export interface Delay {
  ms: number;
  /** Only requests for this operation; default all. */
  operation?: string;
  /** Only the nth matching request (from 1) since the delay was set; default every one. */
  nth?: number;
}

/** One request forwarded to the emulator: what reached it, whatever the client saw. */
export interface ReceivedRequest {
  operation: string;
  /** The body as sent: JSON for Step Functions, a form for CloudFormation and SNS. */
  body: string;
  /** How long {@link Delay}s held it back. */
  delayedMs: number;
  /** The emulator's HTTP status, once it answered. */
  status?: number;
  /** Set when the client never got the emulator's answer. */
  lost?: "500" | "drop";
}

/** What the proxy does to requests; each part given to `configure` replaces the current one. */
export interface Behaviour {
  faults?: FaultOptions;
  lostReplies?: LostReply[];
  /** `true`: every request. */
  blackHole?: boolean | BlackHole;
  delays?: Delay[];
}

export interface ProxyStats {
  /** Requests received per operation (including throttled and faulted ones). */
  calls: Record<string, number>;
  /** Requests the token buckets answered with throttling, per operation. */
  throttled: Record<string, number>;
  /** Requests answered by fault injection, per operation. */
  faults: Record<string, number>;
  /** Requests forwarded whose reply the client never got, per operation. */
  lost: Record<string, number>;
  /** Requests the black hole kept, per operation. */
  swallowed: Record<string, number>;
  /** All requests received. */
  total: number;
}

export interface EmulatorProxy {
  endpoint: string;
  port: number;
  /** Live counters. */
  stats: ProxyStats;
  /** Every request forwarded to the emulator, in order (live). */
  received: ReceivedRequest[];
  /** Zero the counters, empty `received` and refill every bucket. */
  reset(): void;
  /** Change the faults of later requests. */
  setFaults(faults: FaultOptions | undefined): void;
  /** Replace the parts of the behaviour given, for later requests; `times` and `nth` count afresh. */
  configure(behaviour: Behaviour): void;
  stop(): Promise<void>;
}

export function startProxy(
  options: {
    target: string;
    delayMs?: number;
    throttle?: boolean | Record<string, Quota>;
  } & Behaviour,
): Promise<EmulatorProxy>;
