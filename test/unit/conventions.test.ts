import { describe, expect, it } from "vitest";
import { cliConventions, endpointOf, selectProfile } from "../../src/aws/conventions.js";

const KEYS = { AWS_ACCESS_KEY_ID: "AKIA", AWS_SECRET_ACCESS_KEY: "secret" };

describe("cliConventions: the AWS CLI's precedence, from the environment passed in", () => {
  it("leaves the region to the SDK when AWS_REGION is set, and passes AWS_DEFAULT_REGION on when not", () => {
    expect(cliConventions({}, { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-east-2" }).region).toBeUndefined();
    expect(cliConventions({}, { AWS_DEFAULT_REGION: "us-east-2" }).region).toBe("us-east-2");
    expect(cliConventions({ region: "ap-south-1" }, { AWS_REGION: "eu-west-1" }).region).toBe("ap-south-1");
    expect(cliConventions({}, { AWS_DEFAULT_REGION: "" }).region).toBeUndefined();
  });

  it("names the active profile: --profile, else AWS_PROFILE", () => {
    expect(cliConventions({ profile: "ops" }, { AWS_PROFILE: "dev" })).toMatchObject({ profile: "ops", activeProfile: "ops" });
    expect(cliConventions({}, { AWS_PROFILE: "dev" })).toMatchObject({ profile: undefined, activeProfile: "dev" });
    expect(cliConventions({}, {}).activeProfile).toBeUndefined();
  });

  it("lets access keys in the environment beat AWS_PROFILE, but not --profile", () => {
    expect(cliConventions({}, { AWS_PROFILE: "dev", ...KEYS }).envCredentials).toBe(true);
    expect(cliConventions({ profile: "ops" }, { AWS_PROFILE: "dev", ...KEYS }).envCredentials).toBe(false);
    expect(cliConventions({}, KEYS).envCredentials).toBe(false);
    expect(cliConventions({}, { AWS_PROFILE: "dev", AWS_ACCESS_KEY_ID: "AKIA" }).envCredentials).toBe(false);
  });

  it("never reads the process environment", () => {
    const before = process.env.AWS_DEFAULT_REGION;
    process.env.AWS_DEFAULT_REGION = "xx-process-1";
    try {
      expect(cliConventions({}, {}).region).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.AWS_DEFAULT_REGION;
      else process.env.AWS_DEFAULT_REGION = before;
    }
  });
});

describe("selectProfile and endpointOf", () => {
  it("puts --profile in the environment passed in, and only there", () => {
    const env: NodeJS.ProcessEnv = { AWS_PROFILE: "dev" };
    selectProfile("ops", env);
    expect(env.AWS_PROFILE).toBe("ops");
    selectProfile(undefined, env);
    expect(env.AWS_PROFILE).toBe("ops");
  });

  it("picks the Step Functions endpoint as the SDK does", () => {
    expect(endpointOf("http://flag", { AWS_ENDPOINT_URL_SFN: "http://sfn", AWS_ENDPOINT_URL: "http://all" })).toBe("http://flag");
    expect(endpointOf(undefined, { AWS_ENDPOINT_URL_SFN: "http://sfn", AWS_ENDPOINT_URL: "http://all" })).toBe("http://sfn");
    expect(endpointOf(undefined, { AWS_ENDPOINT_URL: "http://all" })).toBe("http://all");
    expect(endpointOf(undefined, { AWS_ENDPOINT_URL: "" })).toBeUndefined();
  });
});
