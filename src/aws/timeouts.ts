import { UsageError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";

/** `--cli-connect-timeout` and `--cli-read-timeout`, in seconds; 0 waits forever, as in the AWS CLI. */
export interface Timeouts {
  /** Longest wait for a connection to open. Default 60. */
  connectSeconds: number;
  /** Longest wait for data on an open connection (the socket's idle time). Default 60. */
  readSeconds: number;
}

/** The AWS CLI's defaults for both timeouts. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * Attempts of one call that may end in a timeout before the command gives up on it, whatever the
 * retry settings: a dead endpoint must end the command in a few timeouts, not in eight.
 */
export const MAX_TIMED_OUT_ATTEMPTS = 2;

/** Read `--cli-connect-timeout` / `--cli-read-timeout`: a non-negative number of seconds. */
export function parseTimeout(option: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`${option} ${safeText(value)} is not a number of seconds (0 or more).`, `Example: ${option} 10 (0 waits forever)`);
  }
  return seconds;
}

/**
 * The SDK's request handler settings for the timeouts. The read timeout is the socket's idle
 * timeout (`socketTimeout`): @smithy/node-http-handler's `requestTimeout` only logs a warning
 * unless told to throw. Both treat 0 as "no timeout".
 */
export function requestHandlerTimeouts(timeouts: Timeouts): { connectionTimeout: number; socketTimeout: number } {
  return { connectionTimeout: timeouts.connectSeconds * 1000, socketTimeout: timeouts.readSeconds * 1000 };
}

/** The option that sets each timeout. */
export const TIMEOUT_OPTION = { connect: "--cli-connect-timeout", read: "--cli-read-timeout" } as const;

/**
 * A timeout the SDK's handler threw, in one sentence naming `subject` (who did not answer: "The
 * endpoint http://…"), for an error that never went through {@link boundTimeouts}; undefined for
 * anything else. The handler also names a reset connection `TimeoutError`: rule that out first.
 */
export function explainTimeout(
  error: unknown,
  subject: string,
): { kind: "connect-timeout" | "read-timeout"; sentence: string } | undefined {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } } | undefined;
  if (e?.name !== "TimeoutError" && (e?.code ?? e?.cause?.code) !== "ETIMEDOUT") return undefined;
  const ms = /(\d+) ms/.exec(`${e?.message ?? ""} ${e?.cause?.message ?? ""}`)?.[1];
  const within = ms ? ` within ${inSeconds(Number(ms))}` : "";
  return timeoutKind(error) === "connect"
    ? { kind: "connect-timeout", sentence: `${subject} did not accept a connection${within}.` }
    : { kind: "read-timeout", sentence: `${subject} accepted the request but sent no answer${within}.` };
}

function inSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A call that got no connection or no answer in time. Not named like the SDK's transient errors: see {@link boundTimeouts}. */
export class RequestTimedOut extends Error {
  /** Set while another attempt may follow: the SDK retries errors that carry it. */
  $retryable?: { throttling?: boolean };

  constructor(
    /** Which timeout ran out. */
    readonly kind: "connect" | "read",
    readonly seconds: number,
    /** The endpoint that did not answer, e.g. `https://states.us-east-1.amazonaws.com`. */
    readonly endpoint: string,
    /** The SDK's own error (not `cause`: the SDK would retry anything whose cause is a timeout). */
    readonly original: unknown,
  ) {
    super(
      kind === "connect"
        ? `could not connect to ${safeText(endpoint)} within ${seconds} s (${TIMEOUT_OPTION.connect})`
        : `no answer from ${safeText(endpoint)} within ${seconds} s (${TIMEOUT_OPTION.read})`,
    );
    this.name = "RequestTimedOut";
  }
}

interface MiddlewareStack {
  add: (
    middleware: (
      next: (args: { request?: unknown }) => Promise<unknown>,
      context: Record<string, unknown>,
    ) => (args: { request?: unknown }) => Promise<unknown>,
    options: { step: "deserialize"; name: string; priority: "low" },
  ) => void;
}

/** Where the attempts of one call count their timeouts: the handler context lives as long as the call. */
const TIMED_OUT = "approvalsTimedOutAttempts";

/**
 * Name the endpoint and the timeout in a timed-out attempt's error, and let the SDK retry a timed-out
 * call at most {@link MAX_TIMED_OUT_ATTEMPTS} times in all. Runs inside the retry loop, once per attempt.
 */
export function boundTimeouts<T>(client: T, timeouts: Timeouts): T {
  (client as unknown as { middlewareStack: MiddlewareStack }).middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const kind = timeoutKind(error);
        if (!kind) throw error;
        const count = ((context[TIMED_OUT] as number | undefined) ?? 0) + 1;
        context[TIMED_OUT] = count;
        const seconds = kind === "connect" ? timeouts.connectSeconds : timeouts.readSeconds;
        const timedOut = new RequestTimedOut(kind, seconds, endpointOf(args.request), error);
        if (count < MAX_TIMED_OUT_ATTEMPTS) timedOut.$retryable = {};
        throw timedOut;
      }
    },
    { step: "deserialize", name: "approvalsBoundTimeouts", priority: "low" },
  );
  return client;
}

/**
 * Which of the handler's timeouts an error is, if it is one. The handler also names a reset or
 * refused connection `TimeoutError` (with its errno code): that is not a timeout.
 */
function timeoutKind(error: unknown): "connect" | "read" | undefined {
  const e = error as { name?: string; message?: string; code?: string } | undefined;
  if (e?.name !== "TimeoutError") return undefined;
  const message = e.message ?? "";
  if (/did not establish a connection/i.test(message)) return "connect";
  if (/timed out after \d+ ms of inactivity|exceeded the configured \d+ ms requestTimeout/.test(message)) return "read";
  return undefined;
}

function endpointOf(request: unknown): string {
  const r = request as { protocol?: string; hostname?: string; port?: number } | undefined;
  if (!r?.hostname) return "the AWS endpoint";
  return `${r.protocol ?? "https:"}//${r.hostname}${r.port ? `:${r.port}` : ""}`;
}

/** The timeout that ended a call, if one did (directly or as the cause of a wrapped error). */
export function timedOut(error: unknown): RequestTimedOut | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RequestTimedOut) return e;
  }
  return undefined;
}
