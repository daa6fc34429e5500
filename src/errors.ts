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
  /**
   * Set when what failed is a call that changes something whose reply was lost, and nothing could tell
   * whether it was applied: it may have landed. Default unset.
   */
  mayHaveLanded?: true;

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
 * Add to an error's message (and replace its hint, or mark it as {@link ApprovalsError.mayHaveLanded},
 * when given) without rebuilding it: its type, exit code, AWS code, request id and cause stay as they were.
 */
export function amend<E extends ApprovalsError>(error: E, change: { append?: string; hint?: string; mayHaveLanded?: true }): E {
  // A message may end with a service's words, which often lack a full stop: the sentence added starts afresh.
  if (change.append) error.message = `${/[.!?…]$/.test(error.message) ? error.message : `${error.message}.`} ${change.append}`;
  if (change.hint !== undefined) error.hint = change.hint;
  if (change.mayHaveLanded) error.mayHaveLanded = true;
  return error;
}

/** The parts of an AWS SDK error this tool reads. */
export interface SdkErrorShape {
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
