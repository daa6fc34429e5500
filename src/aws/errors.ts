// What an AWS SDK call threw, turned into an error fit for the user: service errors keep their code
// and request id; timeouts, unreachable endpoints and answers that are not AWS's say what happened.
import { ApprovalsError, AwsError, NO_CREDENTIALS, NO_REGION, type SdkErrorShape } from "../errors.js";
import { endpointName, isLoopbackEndpoint } from "./endpoint-name.js";
import { TIMEOUT_OPTION, timedOut } from "./timeouts.js";
import { explainTransportError, notedEndpoint } from "./transport-errors.js";

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
    const option = TIMEOUT_OPTION[timeout.kind];
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
