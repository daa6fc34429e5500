// What the SDK throws when the trouble is below the AWS API (the connection, TLS, a proxy's page, a
// body it cannot parse) says so in terms of its own internals: "write EPROTO ...:ssl3_get_record:wrong
// version number", "Unexpected token '<'", "Cannot read properties of null (reading 'indexOf')". These
// become one sentence naming the endpoint and what to check.
import { safeText } from "../lib/safe-text.js";
import { endpointName } from "./endpoint-name.js";
import { explainTimeout } from "./timeouts.js";

/** Which transport or parser failure an error is. */
export type TransportProblemKind =
  | "tls-to-plain-http"
  | "tls-certificate"
  | "connection-refused"
  | "host-not-found"
  | "connect-timeout"
  | "read-timeout"
  | "connection-reset"
  | "endpoint-path"
  | "web-page"
  | "unreadable-reply"
  | "untyped-error";

/** A transport or parser failure explained. */
export interface TransportProblem {
  kind: TransportProblemKind;
  /** One sentence, ending with a full stop; untrusted parts (endpoint, messages) are neutralised. */
  sentence: string;
  /**
   * False when the failure proves this attempt's request never reached a server (no connection was
   * made); true when it may have arrived and been acted on. Retries can make an earlier attempt arrive
   * even when the last one did not: check `attempts` before relying on false.
   */
  mayHaveArrived: boolean;
}

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string; message?: string };
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

/** The endpoint each failed call was sent to, kept beside the SDK's error for {@link toUserError}. */
const endpoints = new WeakMap<object, string>();

/**
 * Remember the endpoint a failed call was sent to (`--endpoint-url` or AWS_ENDPOINT_URL...), so the
 * error can be explained naming it wherever it is reported. Nothing is kept for AWS's own endpoints.
 */
export function noteEndpoint(error: unknown, endpoint: string | undefined): void {
  if (endpoint && error && typeof error === "object") endpoints.set(error, endpoint);
}

/** The endpoint noted for an error by {@link noteEndpoint}, if any. */
export function notedEndpoint(error: unknown): string | undefined {
  return error && typeof error === "object" ? endpoints.get(error) : undefined;
}

const CERTIFICATE_CODES =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID)$/;

/**
 * Explain an error thrown by an SDK call when it failed below the AWS API, or return undefined for
 * anything else (a service error with a type, a credentials error, a bug), which callers report as before.
 * @param error What the SDK call threw.
 * @param endpoint The endpoint in use (`--endpoint-url` or AWS_ENDPOINT_URL...), or undefined for AWS's own.
 */
export function explainTransportError(error: unknown, endpoint?: string): TransportProblem | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as SdkLikeError;
  const code = e.code ?? e.cause?.code;
  const message = `${e.message ?? ""} ${e.cause?.message ?? ""}`;
  const where = endpoint ? `the endpoint ${endpointName(endpoint)}` : "the AWS endpoint";
  const Subject = `T${where.slice(1)}`;
  const problem = (kind: TransportProblemKind, sentence: string, mayHaveArrived: boolean) => ({ kind, sentence, mayHaveArrived });

  if (
    /wrong version number|packet length too long|unknown protocol/i.test(message) ||
    (code === "EPROTO" && /^https:/i.test(endpoint ?? ""))
  ) {
    return problem(
      "tls-to-plain-http",
      `${Subject} does not speak TLS: if it is a plain-HTTP endpoint, write it with http://, not https://.`,
      false,
    );
  }
  if (code && CERTIFICATE_CODES.test(code)) {
    return problem(
      "tls-certificate",
      `The TLS certificate of ${where} is not trusted (${code}): check the URL, or NODE_EXTRA_CA_CERTS for a private CA.`,
      false,
    );
  }
  if (code === "ECONNREFUSED") {
    return problem(
      "connection-refused",
      `Nothing accepts connections at ${where} (ECONNREFUSED): check the endpoint URL and that the service runs.`,
      false,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return problem(
      "host-not-found",
      `The host of ${where} could not be found (${code}): check the endpoint URL, the region and the network's DNS.`,
      false,
    );
  }
  // The SDK names a reset connection TimeoutError too.
  if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/i.test(message)) {
    return problem("connection-reset", `${Subject} closed the connection before answering (${code ?? "socket hang up"}).`, true);
  }
  // The timeout module words a timeout; this only says whether the request may have arrived.
  const timeout = explainTimeout(error, Subject);
  if (timeout) return problem(timeout.kind, timeout.sentence, timeout.kind === "read-timeout");

  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (status === undefined) return undefined;
  const http = `HTTP ${status}`;
  const unparsed = /Deserialization error/.test(message);
  const page =
    /^text\/html/i.test(e.$response?.headers?.["content-type"] ?? "") ||
    /Unexpected token '<'|XML parse error: mismatched tags/.test(message);
  const path = endpointPath(endpoint);
  if (path && (status === 404 || (unparsed && page))) {
    return problem("endpoint-path", `${Subject} answered ${http}: an endpoint URL has no path, so leave out ${safeText(path)}.`, true);
  }
  if (unparsed && page) {
    return problem(
      "web-page",
      `${Subject} answered ${http} with a web page, not an AWS response: a proxy or gateway on the way may have failed.`,
      true,
    );
  }
  if (unparsed && e.name === "TypeError") {
    return problem("untyped-error", `${Subject} answered ${http} with an error that names no error type.`, true);
  }
  if (unparsed) {
    return problem("unreadable-reply", `${Subject} answered ${http} with a body that is not an AWS response.`, true);
  }
  if (e.name === "Unknown" || e.name === "UnknownError") {
    const said = e.message && !/^Unknown(Error)?$/.test(e.message) ? `: ${quoted(e.message)}` : "";
    return problem("untyped-error", `${Subject} answered ${http} with an error that names no error type${said}.`, true);
  }
  return undefined;
}

/** The path of an endpoint URL other than `/`, or undefined. */
function endpointPath(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  try {
    const { pathname } = new URL(endpoint);
    return pathname && pathname !== "/" ? pathname : undefined;
  } catch {
    return undefined;
  }
}

/** A server's own words, on one line, made safe and kept short. */
function quoted(text: string): string {
  const chars = [...safeText(text.split("\n")[0] ?? "")];
  return `"${chars.length > 120 ? `${chars.slice(0, 119).join("")}…` : chars.join("")}"`;
}
