import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configuredScope, openSection, section, storeScope } from "../../src/core/store.js";
import { testContext } from "./fixtures.js";

interface Entry {
  n: number;
}
const isEntry = (value: unknown): value is Entry => typeof (value as Entry)?.n === "number";
const WAITING = section("waiting", isEntry);
const NAMES = section("names", isEntry);
const SCOPE = { endpoint: "http://127.0.0.1:5000", region: "us-east-1", profile: "ops" };

/** Store one entry in a section (open, set, save). */
async function put(directory: string, of: typeof WAITING, scope: typeof SCOPE, subject: string, n: number): Promise<string> {
  const cache = await openSection(scope, of, subject, { env: {}, directory });
  cache.set("k", { n });
  await cache.save();
  return cache.path;
}

describe("the store", () => {
  it("keeps each section and subject in a file of its own, named by its section, recording its scope", async () => {
    const directory = join(mkdtempSync(join(tmpdir(), "approvals-store-")), "approvals");
    const waiting = await put(directory, WAITING, SCOPE, "arn:machine", 1);
    const names = await put(directory, NAMES, SCOPE, "arn:machine", 2);
    await put(directory, NAMES, SCOPE, "other-stack", 3);
    expect(
      readdirSync(directory)
        .map((f) => f.replace(/-[0-9a-f]+\.json$/, ""))
        .sort(),
    ).toEqual(["names", "names", "waiting"]);
    expect(JSON.parse(JSON.parse(readFileSync(waiting, "utf8")).scope)).toEqual([
      SCOPE.endpoint,
      SCOPE.region,
      SCOPE.profile,
      "arn:machine",
    ]);
    expect((await openSection(SCOPE, WAITING, "arn:machine", { env: {}, directory })).get("k")).toEqual({ n: 1 });
    expect((await openSection(SCOPE, NAMES, "arn:machine", { env: {}, directory })).path).toBe(names);
  });

  it("reads nothing of another endpoint, region or profile", async () => {
    const directory = join(mkdtempSync(join(tmpdir(), "approvals-store-")), "approvals");
    await put(directory, WAITING, SCOPE, "arn:machine", 1);
    for (const other of [{ endpoint: "aws" }, { region: "eu-west-1" }, { profile: "" }]) {
      const cache = await openSection({ ...SCOPE, ...other }, WAITING, "arn:machine", { env: {}, directory });
      expect(cache.keys()).toEqual([]);
    }
  });

  it("drops entries of another shape", async () => {
    const directory = join(mkdtempSync(join(tmpdir(), "approvals-store-")), "approvals");
    const loose = await openSection(
      SCOPE,
      section("waiting", (v: unknown): v is unknown => true),
      "arn:machine",
      { env: {}, directory },
    );
    loose.set("good", { n: 1 });
    loose.set("bad", { n: "one" });
    await loose.save();
    expect((await openSection(SCOPE, WAITING, "arn:machine", { env: {}, directory })).keys()).toEqual(["good"]);
  });
});

describe("the store's scope", () => {
  it("is the command line's, else the environment's, as configured", () => {
    const env = { AWS_REGION: "eu-west-1", AWS_PROFILE: "dev", AWS_ENDPOINT_URL: "http://127.0.0.1:4566" };
    expect(configuredScope({}, env)).toEqual({ endpoint: "http://127.0.0.1:4566", region: "eu-west-1", profile: "dev" });
    expect(configuredScope({ region: "us-west-2", profile: "ops", endpointUrl: "http://x" }, env)).toEqual({
      endpoint: "http://x",
      region: "us-west-2",
      profile: "ops",
    });
    expect(configuredScope({}, {})).toEqual({ endpoint: "aws", region: "", profile: "" });
  });

  it("takes a use case's region from the client (a profile's own region), and is none without a cache folder", async () => {
    const sfn = { config: { region: async () => "ap-south-1" } };
    const ctx = testContext({ sfn: sfn as never, env: { HOME: "/home/u" } });
    expect(await storeScope(ctx)).toEqual({ endpoint: "aws", region: "ap-south-1", profile: "" });
    expect(await storeScope({ ...ctx, env: {} })).toBeUndefined();
  });
});
