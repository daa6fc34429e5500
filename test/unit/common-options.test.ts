import { describe, expect, it } from "vitest";
import { checkCommonOptions } from "../../src/common-options.js";
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
