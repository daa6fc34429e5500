import { endpointName, isLoopbackEndpoint } from "./aws/endpoint-name.js";
import { timedOut } from "./aws/timeouts.js";
import { explainTransportError, notedEndpoint } from "./aws/transport-errors.js";

/** Exit codes, documented in README. */
export const ExitCode = {
  OK: 0,
  /** Failed at AWS, or an unexpected error. */
  FAILED: 1,
  /** Bad usage or invalid input: nothing was sent. */
  USAGE: 2,
  /** The stack or execution does not exist, or the execution is not waiting. */
  NOT_FOUND: 3,
  /** Interrupted (Ctrl-C) while waiting. */
  INTERRUPTED: 130,
} as const;

/**
 * The AWS CLI's advice for a missing region or credentials, word for word: users search for these
 * sentences, and scripts that wrap both tools see the same text.
 */
export const NO_REGION = 'You must specify a region. You can also configure your region by running "aws configure".';
export const NO_CREDENTIALS = 'Unable to locate credentials. You can configure credentials by running "aws configure".';

/**
 * Base of every error the CLI reports as a plain message. A wrapped error is kept as `cause`, so
 * `--debug` can show the whole chain (with the AWS code and request id where there is one).
 * Each subclass carries its exit code.
 */
export class ApprovalsError extends Error {
  /** The process exit code this kind of error ends with. */
  readonly exitCode: number = ExitCode.FAILED;

  constructor(
    message: string,
    /** A one-line suggestion shown under the message. */
    public hint?: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
  }
}

/** Bad options or input, found before anything was sent. */
export class UsageError extends ApprovalsError {
  override readonly exitCode: number = ExitCode.USAGE;
}

/** A stack or execution that does not exist, or is not in the state asked for. */
export class NotFoundError extends ApprovalsError {
  override readonly exitCode: number = ExitCode.NOT_FOUND;
}

/** A deployed state machine that is not an approval workflow: the stack holds nothing this CLI can decide. */
export class NotApprovalWorkflowError extends NotFoundError {}

/** The user declined a confirmation: nothing was sent. */
export class AbortError extends ApprovalsError {
  constructor(message = "Cancelled: nothing was sent.") {
    super(message);
  }
}

/** Ctrl-C during a wait or at a prompt: the CLI stopped; the work it started goes on at AWS. */
export class InterruptedError extends ApprovalsError {
  override readonly exitCode: number = ExitCode.INTERRUPTED;
}

/** An AWS service error, keeping what the service said about it. */
export class AwsError extends ApprovalsError {
  constructor(
    message: string,
    /** The service's error code, e.g. `ThrottlingException`. */
    readonly code: string,
    /** The request id, for AWS support. */
    readonly requestId: string | undefined,
    options?: { cause?: unknown; hint?: string },
  ) {
    super(message, options?.hint, options?.cause);
  }
}

/**
 * Add to an error's message (and replace its hint, when given) without rebuilding it: its type,
 * exit code, AWS code, request id and cause stay as they were.
 */
export function amend<E extends ApprovalsError>(error: E, change: { append?: string; hint?: string }): E {
  // A message may end with a service's words, which often lack a full stop: the sentence added starts afresh.
  if (change.append) error.message = `${/[.!?…]$/.test(error.message) ? error.message : `${error.message}.`} ${change.append}`;
  if (change.hint !== undefined) error.hint = change.hint;
  return error;
}

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number };
}

/** The error name the AWS SDK gives a service error, or undefined for other errors. */
export function awsErrorName(error: unknown): string | undefined {
  const e = error as SdkErrorShape | undefined;
  if (!e || typeof e !== "object" || !e.$metadata) return undefined;
  return e.name;
}

/**
 * Whether a call was refused in its first and only attempt (HTTP 4xx): then nothing it asked for was
 * applied. Anything else (a timeout, a cut connection, HTTP 5xx, or a refusal of a retry that followed
 * one of those) may hide an earlier attempt that landed and whose reply was lost.
 */
export function refusedAtOnce(error: unknown): boolean {
  const meta = (error as SdkErrorShape | undefined)?.$metadata;
  const status = meta?.httpStatusCode ?? 0;
  return (meta?.attempts ?? 1) <= 1 && status >= 400 && status < 500;
}

// A loopback endpoint is a local emulator, and the usual cause is one that stopped while the shell
// kept the `export AWS_ENDPOINT_URL=...` that `npm run sandbox` printed.
const LOOPBACK_HINT = "A local emulator (npm run sandbox) may have stopped: start it again, or unset the AWS_ENDPOINT_URL its export left.";

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"]);

/**
 * Turn anything thrown by an SDK call into an error fit for the user:
 * service errors keep their code and request id, network faults say the endpoint is unreachable.
 */
export function toUserError(error: unknown, doing: string): ApprovalsError {
  if (error instanceof ApprovalsError) return error;
  const e = error as SdkErrorShape & { code?: string; errno?: number };
  const timeout = timedOut(error);
  if (timeout) {
    const attempts = e?.$metadata?.attempts ?? 1;
    const option = timeout.kind === "connect" ? "--cli-connect-timeout" : "--cli-read-timeout";
    return new ApprovalsError(
      `${doing} failed: ${timeout.message}${attempts > 1 ? `, ${attempts} attempts` : ""}.`,
      `Check the network and the endpoint (--endpoint-url, AWS_ENDPOINT_URL, --region); for a slow endpoint raise ${option} (0 waits forever).`,
      error,
    );
  }
  // Checked before service errors: the SDK attaches $metadata to network failures it retried too.
  const code = e?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if ((code && NETWORK_CODES.has(code)) || e?.name === "TimeoutError" || e?.name === "RequestTimeout") {
    const attempts = e?.$metadata?.attempts;
    const endpoint = notedEndpoint(error);
    const where = endpoint ? `the endpoint ${endpointName(endpoint)}` : "the AWS endpoint";
    return new ApprovalsError(
      `${doing} failed: ${where} could not be reached (${code ?? e.name}${attempts ? ` after ${attempts} attempts` : ""}).`,
      endpoint && isLoopbackEndpoint(endpoint)
        ? LOOPBACK_HINT
        : "Check the network, --endpoint-url / AWS_ENDPOINT_URL and --region, then run the command again.",
      error,
    );
  }
  // An HTTP 403 whose body the SDK could not parse (a proxy's page, or an XML answer to a JSON API).
  if (e?.$metadata?.httpStatusCode === 403 && (e.name === "SyntaxError" || e.name === "Error")) {
    return new AwsError(`${doing} failed: AccessDenied (HTTP 403).`, "AccessDenied", e.$metadata.requestId, {
      cause: error,
      hint: hintFor({ name: "AccessDenied" }),
    });
  }
  // Below the AWS API (TLS to a plain-HTTP endpoint, a proxy's web page, an endpoint with a path, an
  // error that names no type): one sentence naming the endpoint, instead of the parser's own words.
  const transport = explainTransportError(error, notedEndpoint(error));
  if (transport) {
    const sentence = transport.sentence.charAt(0).toLowerCase() + transport.sentence.slice(1);
    return new ApprovalsError(`${doing} failed: ${sentence}`, undefined, error);
  }
  if (e?.$metadata && e.name) {
    return new AwsError(`${doing} failed: ${e.name}: ${firstLine(e.message ?? "")}`.trim(), e.name, e.$metadata.requestId, {
      cause: error,
      hint: hintFor(e),
    });
  }
  // Normally caught before any request (aws/conventions.ts); here when they fail later, e.g. an SSO session expiring.
  if (e?.name === "CredentialsProviderError") {
    return new ApprovalsError(
      /could not load credentials from any providers/i.test(e.message ?? "") ? NO_CREDENTIALS : firstLine(e.message ?? ""),
      undefined,
      error,
    );
  }
  if (typeof e?.message === "string" && /Region is missing/i.test(e.message)) return new ApprovalsError(NO_REGION, undefined, error);
  return new ApprovalsError(`${doing} failed: ${firstLine(String(e?.message ?? error))}`, undefined, error);
}

/** What to do about the service errors an operator can act on. */
function hintFor(e: SdkErrorShape): string | undefined {
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (/AccessDenied|UnauthorizedOperation|NotAuthorized/i.test(e.name ?? "")) {
    return "The credentials in use may not make this call: grant the IAM policy docs/iam.md gives for this command.";
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded/i.test(e.name ?? "") || status >= 500) {
    return `AWS kept answering ${status >= 500 ? `HTTP ${status}` : "that requests are throttled"} after every retry: wait a little, then run the command again.`;
  }
  return undefined;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
