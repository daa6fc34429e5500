import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpoint, runCli, uniqueStackName } from "../support/cli.js";

// Region, credentials and endpoint resolve as the AWS CLI does. Each case writes its own shared
// config and credentials files into a private HOME; which region, account or endpoint was used is
// proven by what the emulator holds (moto keeps regions apart, and maps assumed-role keys to the
// role's account).

const ROLE_ACCOUNT = "111122223333";
const DEAD = "http://127.0.0.1:9"; // discard port: nothing answers
const ADVICE_REGION = 'error: You must specify a region. You can also configure your region by running "aws configure".\n';
const ADVICE_CREDENTIALS = 'error: Unable to locate credentials. You can configure credentials by running "aws configure".\n';

/** The process environment without any AWS setting, so each case states all of its own. */
function bareEnv(home: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  // No instance-metadata probe: this machine is not on EC2, and the probe would only slow the run.
  return { ...base, HOME: home, NO_COLOR: "1", CI: undefined, AWS_EC2_METADATA_DISABLED: "true", ...extra };
}

/** A HOME with ~/.aws/config and ~/.aws/credentials as given. */
function awsHome(config: string, credentials = ""): string {
  const home = mkdtempSync(join(tmpdir(), "approvals-aws-"));
  mkdirSync(join(home, ".aws", "sso", "cache"), { recursive: true });
  writeFileSync(join(home, ".aws", "config"), config);
  writeFileSync(join(home, ".aws", "credentials"), credentials);
  return home;
}

/** A local HTTP server recording every request it gets; `answer` builds the JSON reply. */
async function recorder(answer: (req: IncomingMessage) => unknown = () => ({})) {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answer(req)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Keys for ROLE_ACCOUNT, from the emulator's STS (which checks no signature). */
async function roleCredentials() {
  const response = await fetch(endpoint(), {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: `Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::${ROLE_ACCOUNT}:role/sso&RoleSessionName=test`,
  });
  const xml = await response.text();
  const field = (name: string) => xml.match(new RegExp(`<${name}>([^<]+)</${name}>`))?.[1] ?? "";
  return { accessKeyId: field("AccessKeyId"), secretAccessKey: field("SecretAccessKey"), sessionToken: field("SessionToken") };
}

const stack = uniqueStackName("conv");
const outputs = (env: Record<string, string | undefined>, ...extra: string[]) =>
  runCli(["outputs", "--stack-name", stack, "--json", ...extra], { env });
const keys = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" };

describe("region", () => {
  let home: string;
  beforeAll(async () => {
    home = awsHome(
      "[profile west]\nregion = eu-west-1\n\n[profile north]\nregion = eu-north-1\n",
      // A profile named on the command line brings its own keys: the environment's are ignored then.
      "[west]\naws_access_key_id = w\naws_secret_access_key = w\n",
    );
    // AWS_DEFAULT_REGION alone places the stack: the SDK itself reads only AWS_REGION.
    const env = bareEnv(home, { ...keys, AWS_ENDPOINT_URL: endpoint(), AWS_DEFAULT_REGION: "eu-west-1" });
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn).toMatch(/^arn:aws:states:eu-west-1:/);
  });

  it.each([
    ["AWS_REGION over AWS_DEFAULT_REGION", { AWS_REGION: "eu-west-1", AWS_DEFAULT_REGION: "us-west-2" }, [], 0],
    ["AWS_REGION over AWS_DEFAULT_REGION (other way)", { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-west-1" }, [], 3],
    ["--region over both", { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "us-west-2" }, ["--region", "eu-west-1"], 0],
    ["the profile's region via AWS_PROFILE", { AWS_PROFILE: "west" }, [], 0],
    ["the profile's region via --profile", { AWS_PROFILE: "north" }, ["--profile", "west"], 0],
    ["AWS_DEFAULT_REGION over the profile's region", { AWS_PROFILE: "west", AWS_DEFAULT_REGION: "eu-north-1" }, [], 3],
  ] as const)("%s", async (_name, vars, args, code) => {
    const result = await outputs(bareEnv(home, { ...keys, AWS_ENDPOINT_URL: endpoint(), ...vars }), ...args);
    expect(result.code, result.stderr).toBe(code);
  });
});

describe("endpoint", () => {
  const region = { AWS_REGION: "eu-west-1" };

  it("takes a profile's endpoint_url, chosen with --profile or AWS_PROFILE", async () => {
    const home = awsHome(`[profile local]\nendpoint_url = ${endpoint()}\n`, "[local]\naws_access_key_id = a\naws_secret_access_key = b\n");
    expect((await outputs(bareEnv(home, region), "--profile", "local")).code).toBe(0);
    expect((await outputs(bareEnv(home, { ...region, AWS_PROFILE: "local" }))).code).toBe(0);
  });

  it("takes a profile's services section", async () => {
    const services = ["cloudformation", "sfn", "sns"].map((s) => `${s} =\n  endpoint_url = ${endpoint()}\n`).join("");
    const home = awsHome(
      `[profile local]\nservices = emu\n\n[services emu]\n${services}`,
      "[local]\naws_access_key_id = a\naws_secret_access_key = b\n",
    );
    expect((await outputs(bareEnv(home, region), "--profile", "local")).code).toBe(0);
  });

  it("prefers AWS_ENDPOINT_URL_<SERVICE> to AWS_ENDPOINT_URL, and --endpoint-url to both", async () => {
    const home = awsHome("");
    const perService = { AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(), AWS_ENDPOINT_URL_SFN: endpoint(), AWS_ENDPOINT_URL_SNS: endpoint() };
    expect((await outputs(bareEnv(home, { ...keys, ...region, ...perService, AWS_ENDPOINT_URL: DEAD }))).code).toBe(0);
    const deadServices = { AWS_ENDPOINT_URL_CLOUDFORMATION: DEAD, AWS_ENDPOINT_URL_SFN: DEAD, AWS_ENDPOINT_URL_SNS: DEAD };
    expect((await outputs(bareEnv(home, { ...keys, ...region, ...deadServices }), "--endpoint-url", endpoint())).code).toBe(0);
  });
});

describe("credentials", () => {
  const roleStack = uniqueStackName("conv-role");
  const config = [
    "[profile base]\nregion = eu-west-1\n",
    `[profile ops]\nregion = eu-west-1\nrole_arn = arn:aws:iam::${ROLE_ACCOUNT}:role/ops\nsource_profile = base\n`,
    `[profile sso]\nregion = eu-west-1\nsso_session = corp\nsso_account_id = ${ROLE_ACCOUNT}\nsso_role_name = operator\n`,
    "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\n",
  ].join("\n");
  let home: string;
  const show = (env: Record<string, string | undefined>, ...extra: string[]) =>
    runCli(["outputs", "--stack-name", roleStack, "--json", ...extra], { env });

  beforeAll(async () => {
    home = awsHome(config, "[base]\naws_access_key_id = base\naws_secret_access_key = base\n");
    // A role profile: the SDK assumes the role through the emulator's STS, whose keys belong to ROLE_ACCOUNT.
    const env = bareEnv(home, { AWS_ENDPOINT_URL: endpoint() });
    const deployed = await runCli(
      ["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", roleStack, "--profile", "ops"],
      {
        env,
      },
    );
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn).toContain(`:${ROLE_ACCOUNT}:stateMachine:`);
  });

  it("--profile wins over access keys in the environment, without the SDK's warning", async () => {
    const result = await show(bareEnv(home, { ...keys, AWS_ENDPOINT_URL: endpoint() }), "--profile", "ops");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe("");
  });

  it("access keys in the environment win over AWS_PROFILE, as in the AWS CLI", async () => {
    const result = await show(bareEnv(home, { ...keys, AWS_ENDPOINT_URL: endpoint(), AWS_PROFILE: "ops" }));
    expect(result.code).toBe(3); // the default account has no such stack
    expect(result.stderr).toMatch(/does not exist/);
  });

  it("uses an SSO profile's cached token through the SDK's chain", async () => {
    const roleKeys = await roleCredentials();
    const portal = await recorder(() => ({ roleCredentials: { ...roleKeys, expiration: Date.now() + 3_600_000 } }));
    try {
      const cache = join(home, ".aws", "sso", "cache", `${createHash("sha1").update("corp").digest("hex")}.json`);
      const expiresAt = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z");
      writeFileSync(
        cache,
        JSON.stringify({ accessToken: "sso-token", expiresAt, region: "us-east-1", startUrl: "https://corp.awsapps.com/start" }),
      );
      const services = { AWS_ENDPOINT_URL_CLOUDFORMATION: endpoint(), AWS_ENDPOINT_URL_SFN: endpoint(), AWS_ENDPOINT_URL_SNS: endpoint() };
      const result = await show(bareEnv(home, { ...services, AWS_ENDPOINT_URL_SSO: portal.url }), "--profile", "sso");
      expect(result.code, result.stderr).toBe(0);
      expect(portal.requests.length).toBeGreaterThan(0);
      expect(portal.requests[0]?.url).toBe(`/federation/credentials?account_id=${ROLE_ACCOUNT}&role_name=operator`);
      expect(portal.requests[0]?.headers["x-amz-sso_bearer_token"]).toBe("sso-token");
    } finally {
      await portal.close();
    }
  });
});

describe("missing configuration gets the AWS CLI's advice and sends nothing", () => {
  let server: Awaited<ReturnType<typeof recorder>>;
  beforeAll(async () => {
    server = await recorder();
  });
  afterAll(() => server.close());

  it("no region", async () => {
    const result = await outputs(bareEnv(awsHome(""), { ...keys, AWS_ENDPOINT_URL: server.url }));
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: ADVICE_REGION });
    expect(server.requests).toHaveLength(0);
  });

  it("no credentials", async () => {
    const result = await outputs(bareEnv(awsHome(""), { AWS_REGION: "us-east-1", AWS_ENDPOINT_URL: server.url }));
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: ADVICE_CREDENTIALS });
    expect(server.requests).toHaveLength(0);
  });

  it("an unknown profile", async () => {
    const env = bareEnv(awsHome("[profile real]\nregion = us-east-1\n"), { ...keys, AWS_ENDPOINT_URL: server.url });
    const result = await outputs(env, "--profile", "typo");
    expect(result).toMatchObject({ code: 2, stdout: "", stderr: "error: The config profile (typo) could not be found\n" });
    expect(server.requests).toHaveLength(0);
  });
});
