import { describe, expect, it } from "vitest";
import { toUserError } from "../../src/aws/errors.js";
import { noteEndpoint } from "../../src/aws/transport-errors.js";
import {
  AbortError,
  ApprovalsError,
  AwsError,
  amend,
  ExitCode,
  InterruptedError,
  NO_CREDENTIALS,
  NO_REGION,
  NotApprovalWorkflowError,
  NotFoundError,
  UsageError,
} from "../../src/errors.js";

/** An error shaped as the SDK throws them. */
function sdkError(name: string, message: string, metadata: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { name, $metadata: { requestId: "req-1", ...metadata }, ...extra });
}

describe("the error hierarchy", () => {
  it("gives each kind its exit code", () => {
    expect(new ApprovalsError("x").exitCode).toBe(ExitCode.FAILED);
    expect(new UsageError("x").exitCode).toBe(ExitCode.USAGE);
    expect(new NotFoundError("x").exitCode).toBe(ExitCode.NOT_FOUND);
    expect(new NotApprovalWorkflowError("x").exitCode).toBe(ExitCode.NOT_FOUND);
    expect(new InterruptedError("x").exitCode).toBe(ExitCode.INTERRUPTED);
    expect(new AbortError().exitCode).toBe(ExitCode.FAILED);
    expect(new AwsError("x", "Code", "id").exitCode).toBe(ExitCode.FAILED);
  });

  it("keeps the wrapped error as cause, and names itself by its class", () => {
    const cause = new Error("inner");
    const error = new NotFoundError("outer", "hint", cause);
    expect(error.cause).toBe(cause);
    expect(error.name).toBe("NotFoundError");
    expect(new UsageError("no cause").cause).toBeUndefined();
  });

  it("amend adds to the message and hint without changing the error's identity", () => {
    const original = new AwsError("Sending failed.", "InternalFailure", "req-9", { hint: "old" });
    const amended = amend(original, { append: "It may have arrived.", hint: "new" });
    expect(amended).toBe(original);
    expect(amended).toMatchObject({
      message: "Sending failed. It may have arrived.",
      hint: "new",
      code: "InternalFailure",
      requestId: "req-9",
    });
  });
});

describe("toUserError", () => {
  it("returns the CLI's own errors as they are", () => {
    const own = new NotFoundError("gone");
    expect(toUserError(own, "Doing")).toBe(own);
  });

  it("keeps a service error's code and request id, with the cause", () => {
    const cause = sdkError("ValidationException", "Invalid output\nsecond line", { httpStatusCode: 400 });
    const error = toUserError(cause, "Sending the decision");
    expect(error).toBeInstanceOf(AwsError);
    expect(error).toMatchObject({
      message: "Sending the decision failed: ValidationException: Invalid output",
      code: "ValidationException",
    });
    expect((error as AwsError).requestId).toBe("req-1");
    expect(error.cause).toBe(cause);
    expect(error.hint).toBeUndefined();
  });

  it.each([
    ["AccessDeniedException", 400, /IAM policy/],
    ["ThrottlingException", 400, /throttled/],
    ["InternalFailure", 503, /HTTP 503/],
  ])("gives %s (HTTP %i) the advice an operator can act on", (name, status, hint) => {
    expect(toUserError(sdkError(name, "no", { httpStatusCode: status }), "Listing").hint).toMatch(hint);
  });

  it("reads an unparsable HTTP 403 as AccessDenied", () => {
    const error = toUserError(sdkError("SyntaxError", "Unexpected token <", { httpStatusCode: 403 }), "Reading");
    expect(error).toMatchObject({ message: "Reading failed: AccessDenied (HTTP 403).", code: "AccessDenied" });
  });

  it("says an unreachable endpoint is unreachable, even when the SDK attached $metadata", () => {
    const refused = sdkError("Error", "connect ECONNREFUSED", { attempts: 3 }, { code: "ECONNREFUSED" });
    const error = toUserError(refused, "Listing waiting executions");
    expect(error).not.toBeInstanceOf(AwsError);
    expect(error.message).toBe("Listing waiting executions failed: the AWS endpoint could not be reached (ECONNREFUSED after 3 attempts).");
    expect(error.hint).toMatch(/--endpoint-url/);
    expect(error.cause).toBe(refused);
    expect(toUserError(Object.assign(new Error("t"), { name: "TimeoutError" }), "X").message).toMatch(
      /could not be reached \(TimeoutError\)/,
    );
    expect(toUserError(Object.assign(new Error("x"), { cause: { code: "ENOTFOUND" } }), "X").message).toMatch(/ENOTFOUND/);
  });

  it("names the endpoint it could not reach, without credentials, path or query", () => {
    const refused = sdkError("Error", "connect ECONNREFUSED", { attempts: 8 }, { code: "ECONNREFUSED" });
    noteEndpoint(refused, "https://admin:s3cret@approvals.example.com/base?X-Amz-Security-Token=tok");
    const error = toUserError(refused, "Listing waiting executions");
    expect(error.message).toBe(
      "Listing waiting executions failed: the endpoint https://approvals.example.com:443 could not be reached (ECONNREFUSED after 8 attempts).",
    );
    expect(`${error.message} ${error.hint}`).not.toMatch(/admin|s3cret|base|tok/);
    expect(error.hint).toMatch(/--endpoint-url/);
    expect(error.hint).not.toMatch(/emulator/);
  });

  it("suggests that a local emulator stopped when a loopback endpoint is unreachable", () => {
    for (const endpoint of ["http://127.0.0.1:4566", "http://localhost:4566/", "http://[::1]:4566"]) {
      const refused = sdkError("Error", "connect ECONNREFUSED", { attempts: 8 }, { code: "ECONNREFUSED" });
      noteEndpoint(refused, endpoint);
      const error = toUserError(refused, "Listing waiting executions");
      expect(error.message).toMatch(/the endpoint http:\/\/(127\.0\.0\.1|localhost|\[::1\]):4566 could not be reached/);
      expect(error.hint).toMatch(/emulator \(npm run sandbox\) may have stopped/);
      expect(error.hint).toMatch(/unset the AWS_ENDPOINT_URL/);
    }
  });

  it("turns missing credentials or region into the AWS CLI's sentences", () => {
    const none = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(toUserError(none, "X").message).toBe(NO_CREDENTIALS);
    const expired = Object.assign(new Error("The SSO session has expired\nmore"), { name: "CredentialsProviderError" });
    expect(toUserError(expired, "X").message).toBe("The SSO session has expired");
    expect(toUserError(new Error("Region is missing"), "X").message).toBe(NO_REGION);
  });

  it("wraps anything else with what was being done, keeping the cause", () => {
    const odd = new TypeError("cannot read properties of undefined\nat ...");
    const error = toUserError(odd, "Reading the stack");
    expect(error).toMatchObject({ message: "Reading the stack failed: cannot read properties of undefined", exitCode: 1 });
    expect(error.cause).toBe(odd);
    expect(toUserError("a string", "X").message).toBe("X failed: a string");
  });
});
