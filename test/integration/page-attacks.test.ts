import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { settled, waitForToken } from "./sfn-helpers.js";

// What an attacker on the internet controls is the request: every field of it reaches the approval
// function, and some reach its logs. Served as page-proof.test.ts serves it (the loopback API Gateway
// stand-in running the template's function code), with a recorder between the function and the emulator.

const stack = uniqueStackName("attack");
const { sfn } = sdk();
const logs: string[] = [];
let api: ApprovalApi;
let recorder: Recorder;
let env: Record<string, string | undefined>;

const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

/** Start an execution; once it waits, return its token and its page's address. */
async function waiting(name: string) {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], '{"Comment":"attack"}');
  expect(started.code, started.stderr).toBe(0);
  const token = await waitForToken(sfn, JSON.parse(started.stdout).executionArn);
  const pending = await run(["pending", "--links", "--json"]);
  expect(pending.code, pending.stderr).toBe(0);
  const link = new URL(JSON.parse(pending.stdout).find((p: { name: string }) => p.name === name).links.approve);
  return { token, base: `${link.origin}${link.pathname}`, sm: link.searchParams.get("sm") ?? "" };
}

const open = (base: string, fields: Record<string, string>) => fetch(`${base}?${new URLSearchParams(fields)}`);
const post = (base: string, fields: Record<string, string>) =>
  fetch(base, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });

describe("the approval page under attack", () => {
  beforeAll(async () => {
    recorder = await startRecorder({ target: endpoint() });
    api = await startApprovalApi({ endpoint: recorder.endpoint, onLogs: (text) => logs.push(text) });
    env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
    const deployed = await run(["deploy", "--email", "ops@example.com", "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await recorder?.stop();
    await run(["destroy", "--yes"]);
  });

  it("logs printable ASCII only, and no token or link, whatever a caller puts in a field", async () => {
    const { token, base, sm } = await waiting("victim");
    // An AWS task token is some 700 characters of base64: its first 80 would pass for a name.
    const awsLike = `AAAAKgAAAAIAAAAAAAAAA${"Qm9ndXMgdG9rZW4gZm9yIGEgbG9nIHRlc3Q".repeat(20)}`;
    const hostile = [
      // C1 CSI (a terminal escape on its own), NEL and LINE SEPARATOR (line breaks to some log readers),
      // DEL and a right-to-left override: JSON.stringify leaves them all as they are.
      "x\u009b31mred\u0085forged\u2028line\u007f\u202eevil",
      // A name Step Functions allows, with a right-to-left override in it.
      "victim\u202enosrep",
      // A link whose separators were encoded once more: the token ends up inside `ex`.
      `victim&sm=${sm}&taskToken=${token}`,
      awsLike,
      `https://abc.execute-api.us-east-1.amazonaws.com/states/execution?ex=victim&taskToken=${token}`,
    ];
    logs.length = 0;
    for (const ex of hostile) {
      expect((await open(base, { ex, sm, taskToken: token })).status).toBe(404);
      expect((await post(base, { ex, sm, taskToken: token, action: "approve" })).status).toBe(404);
    }
    expect((await open(base, { ex: "victim", sm, taskToken: token })).status).toBe(200);
    const lines = logs.join("").split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThanOrEqual(2 * hostile.length + 2);
    for (const line of lines) {
      expect(line).toMatch(/^[\x20-\x7e]*$/);
      expect(() => JSON.parse(line)).not.toThrow();
      for (const secret of [token, awsLike.slice(0, 40), "taskToken", "execute-api"]) expect(line).not.toContain(secret);
    }
    // The names it may log are still there, readable, their invisible characters escaped.
    expect(lines).toContain('{"method":"GET","execution":"victim\\u202enosrep"}');
    expect(lines).toContain('{"execution":"victim","status":200}');
  });

  it("refuses a name Step Functions would refuse without asking AWS, with the one refusal", async () => {
    const { token, base, sm } = await waiting("named");
    const refusal = await (await open(base, { ex: "nobody", sm, taskToken: token })).text();
    // Whitespace (any kind) and each of Step Functions' forbidden characters, next to a real name.
    const refused = ["named ", " named", "na med", "na\u00a0med", "na\u2028med", "named&x", "na/med", "na%med", "na;med", "na*", "<named>"];
    recorder.calls.length = 0;
    for (const ex of refused) {
      const answer = await open(base, { ex, sm, taskToken: token });
      expect([ex, answer.status]).toEqual([ex, 404]);
      expect(await answer.text()).toBe(refusal);
    }
    expect(recorder.calls).toEqual([]);
  });

  it("shows and decides an execution whose name is 80 characters outside the BMP, as the CLI starts it", async () => {
    const name = "\u{1F680}".repeat(80);
    const { token, base, sm } = await waiting(name);
    const page = await open(base, { ex: name, sm, taskToken: token });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<dd>${name}</dd>`);
    const decided = await post(base, { ex: name, sm, taskToken: token, action: "approve" });
    expect(decided.status).toBe(200);
  });

  it("takes names inherited by every object as query keys like any other, and shows the page", async () => {
    const { token, base, sm } = await waiting("inherited");
    const inherited = Object.getOwnPropertyNames(Object.prototype);
    expect(inherited).toEqual(expect.arrayContaining(["__proto__", "constructor", "toString", "hasOwnProperty"]));
    const extra = inherited.map((name) => `${name}=x`).join("&");
    const fields = new URLSearchParams({ ex: "inherited", sm, taskToken: token });
    for (const query of [`${extra}&${fields}`, `${fields}&${extra}`]) {
      const page = await fetch(`${base}?${query}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("<dd>inherited</dd>");
    }
  });

  it("does not say nothing was decided when Step Functions took the decision but its answer was lost", async () => {
    const { token, base, sm } = await waiting("unanswered");
    const { executionArn } = JSON.parse((await run(["show", "unanswered", "--json"])).stdout);
    // Every answer to SendTaskSuccess is lost on the way back: the first one decided, the SDK's retries are refused.
    const lossy = await startProxy({ target: endpoint(), lostReplies: [{ operation: "SendTaskSuccess", times: Infinity }] });
    const lossyApi = await startApprovalApi({ endpoint: lossy.endpoint });
    try {
      const answer = await post(base.replace(api.url, lossyApi.url), { ex: "unanswered", sm, taskToken: token, action: "approve" });
      expect(lossy.stats.lost.SendTaskSuccess).toBeGreaterThanOrEqual(1);
      expect((await settled(sfn, executionArn)).status).toBe("SUCCEEDED");
      const text = await answer.text();
      expect(answer.status).toBe(502);
      expect(text).not.toContain("Nothing was decided");
      expect(text).toContain("may have been recorded");
    } finally {
      await lossyApi.stop();
      await lossy.stop();
    }
  });

  it("refuses a body larger than its form before parsing it, whatever fields it holds", async () => {
    const { token, base, sm } = await waiting("padded");
    const refusal = await (await open(base, { ex: "nobody", sm, taskToken: token })).text();
    recorder.calls.length = 0;
    // The fields of a valid decision, and a megabyte of pairs after them.
    const answer = await fetch(base, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `${new URLSearchParams({ ex: "padded", sm, taskToken: token, action: "approve" })}&${"a&".repeat(500_000)}`,
    });
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe(refusal);
    expect(recorder.calls).toEqual([]);
  });

  // Every request the function answers costs a GetExecutionHistory call, from a quota the whole account
  // shares (the CLI's `pending` reads histories too): the stage lets a flood through at its own pace only.
  it("lets a flood of requests spend no more Step Functions calls than the stage's burst", async () => {
    const { token, base, sm } = await waiting("flooded");
    const throttled = await startApprovalApi({ endpoint: recorder.endpoint, throttle: true });
    try {
      const page = base.replace(api.url, throttled.url);
      recorder.calls.length = 0;
      const guesses = Array.from({ length: 30 }, (_, i) => open(page, { ex: `guess-${i}`, sm, taskToken: token }));
      const statuses = await Promise.all(guesses.map(async (answer) => (await answer).status));
      const reads = recorder.calls.filter((c) => c.operation === "GetExecutionHistory").length;
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(15);
      expect(statuses.filter((s) => s !== 429).every((s) => s === 404)).toBe(true);
      expect(reads).toBeLessThanOrEqual(12);
    } finally {
      await throttled.stop();
    }
  });
});
