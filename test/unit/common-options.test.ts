import { describe, expect, it } from "vitest";
import { checkCommonOptions, checkEndpointVariables } from "../../src/common-options.js";
import { usageError } from "./fixtures.js";

describe("checkCommonOptions", () => {
  it.each(["us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1", "ap-southeast-5", "eusc-de-east-1"])(
    "accepts region %s",
    (region) => {
      expect(() => checkCommonOptions({ region })).not.toThrow();
    },
  );

  it.each(["us east 1", "US-EAST-1", "useast1", "us-east"])("refuses region %j", (region) => {
    expect(usageError(() => checkCommonOptions({ region })).message).toMatch(/is not an AWS region name/);
  });

  it.each(["human-approval", "a", "H1", "arn:aws:cloudformation:us-east-1:123456789012:stack/human-approval/abc"])(
    "accepts stack name %s",
    (stackName) => {
      expect(() => checkCommonOptions({ stackName })).not.toThrow();
    },
  );

  it.each(["human_approval", "1stack", "-x", "a".repeat(129)])("refuses stack name %j", (stackName) => {
    expect(usageError(() => checkCommonOptions({ stackName })).message).toMatch(/is not a valid CloudFormation stack name/);
  });

  it.each(["localhost:5000", "ftp://example.com", "not a url"])("refuses endpoint %j", (endpointUrl) => {
    expect(usageError(() => checkCommonOptions({ endpointUrl })).message).toMatch(/is not an http\(s\) URL/);
  });

  it("accepts http and https endpoints", () => {
    expect(() => checkCommonOptions({ endpointUrl: "http://127.0.0.1:5000" })).not.toThrow();
    expect(() => checkCommonOptions({ endpointUrl: "https://states.us-east-1.amazonaws.com" })).not.toThrow();
  });
});

describe("checkEndpointVariables", () => {
  const good = "http://127.0.0.1:5000";

  it.each(["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_SNS"])(
    "refuses %s as --endpoint-url is refused, naming the variable",
    (name) => {
      for (const bad of ["localhost:5000", "ftp://example.com", "not a url"]) {
        const error = usageError(() => checkEndpointVariables({ [name]: bad }));
        expect(error.message).toBe(`${name} ${bad} is not an http(s) URL.`);
        expect(error.hint).toBe(`Example: ${name}=http://localhost:5000`);
      }
      expect(() => checkEndpointVariables({ [name]: good })).not.toThrow();
      expect(() => checkEndpointVariables({ [name]: "https://states.us-east-1.amazonaws.com" })).not.toThrow();
    },
  );

  it("checks nothing when there is nothing to check, or when the SDK will not use the variables", () => {
    expect(() => checkEndpointVariables({})).not.toThrow();
    // Empty is unset, as in the SDK.
    expect(() => checkEndpointVariables({ AWS_ENDPOINT_URL: "" })).not.toThrow();
    // --endpoint-url wins over the environment.
    expect(() => checkEndpointVariables({ AWS_ENDPOINT_URL: "localhost:5000" }, good)).not.toThrow();
    expect(() => checkEndpointVariables({ AWS_ENDPOINT_URL_SFN: "x", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" })).not.toThrow();
    // Every service has its own variable: AWS_ENDPOINT_URL is never read.
    const each = { AWS_ENDPOINT_URL_SFN: good, AWS_ENDPOINT_URL_CLOUDFORMATION: good, AWS_ENDPOINT_URL_SNS: good };
    expect(() => checkEndpointVariables({ ...each, AWS_ENDPOINT_URL: "localhost" })).not.toThrow();
    const { AWS_ENDPOINT_URL_SNS: _, ...two } = each;
    expect(usageError(() => checkEndpointVariables({ ...two, AWS_ENDPOINT_URL: "localhost" })).message).toMatch(/^AWS_ENDPOINT_URL /);
  });

  it("shows control characters in the value as escapes", () => {
    expect(usageError(() => checkEndpointVariables({ AWS_ENDPOINT_URL: "\u001b]52;c;eA==\u0007" })).message).toBe(
      "AWS_ENDPOINT_URL \\u001b]52;c;eA==\\u0007 is not an http(s) URL.",
    );
    expect(usageError(() => checkCommonOptions({ endpointUrl: "\u001b[2J" })).message).toBe(
      "--endpoint-url \\u001b[2J is not an http(s) URL.",
    );
  });
});
