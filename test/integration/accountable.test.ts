// Accountable decisions through the built CLI: what approve, reject and fail record beside the
// payload (who, through which door, why, a fresh id), and how show and list read it back.
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy } from "../../scripts/proxy.mjs";
import { type CliResult, cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("who");
const email = "ops@example.com";
/** Whom moto's STS names for the emulator's test credentials. */
const CALLER = /^arn:aws:(sts|iam)::\d{12}:\S+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let env: Record<string, string | undefined>;
const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes"]);
  expect(deployed.code, deployed.stderr).toBe(0);
});

afterAll(async () => {
  await run(["destroy", "--yes"]);
});

async function start(name: string): Promise<string> {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], JSON.stringify({ Comment: `request ${name}` }));
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  await waitForToken(sdk().sfn, executionArn);
  return executionArn;
}

/** What the execution's callback task was closed with: the TaskSucceeded output or TaskFailed details. */
async function recorded(executionArn: string) {
  await settled(sdk().sfn, executionArn);
  const events = await historyOf(sdk().sfn, executionArn);
  const succeeded = events.filter((e) => e.type === "TaskSucceeded").map((e) => e.taskSucceededEventDetails?.output ?? "");
  const failed = events.filter((e) => e.type === "TaskFailed").map((e) => e.taskFailedEventDetails);
  return { succeeded, failed, events };
}

function ok(result: CliResult): CliResult {
  expect(result.code, result.stderr).toBe(0);
  return result;
}

describe("approve and reject record who decided beside the email's Status", () => {
  it("approve with a reason: Status first and byte for byte, then DecidedBy from STS, Via, Reason, a fresh DecisionId", async () => {
    const arn = await start("who-approve");
    const result = ok(await run(["approve", "who-approve", "--reason", "release notes checked\nrollback ready", "--yes", "--json"]));
    const [outcome] = JSON.parse(result.stdout);
    const { succeeded } = await recorded(arn);
    expect(succeeded).toHaveLength(1);
    const output = succeeded[0] ?? "";
    expect(output.startsWith(`{"Status":"Approved! Task approved by ${email}",`)).toBe(true);
    const record = JSON.parse(output);
    expect(record).toEqual({
      Status: `Approved! Task approved by ${email}`,
      DecidedBy: expect.stringMatching(CALLER),
      Via: "approvals CLI",
      Reason: "release notes checked\nrollback ready",
      DecisionId: expect.stringMatching(UUID),
    });
    expect(outcome.decisionId).toBe(record.DecisionId);
    // The Choice routed on the Status as ever.
    expect((await recorded(arn)).events.some((e) => e.stateEnteredEventDetails?.name === "ApprovedPassState")).toBe(true);
  });

  it("reject without a reason (no terminal: nothing asked) records no Reason", async () => {
    const arn = await start("who-reject");
    ok(await run(["reject", "who-reject", "--yes"]));
    const record = JSON.parse((await recorded(arn)).succeeded[0] ?? "");
    expect(Object.keys(record)).toEqual(["Status", "DecidedBy", "Via", "DecisionId"]);
    expect(record.Status).toBe(`Rejected! Task rejected by ${email}`);
  });

  it("fail keeps --error and wraps --cause with the record, as JSON a Catch can read", async () => {
    const arn = await start("who-fail");
    ok(await run(["fail", "who-fail", "--error", "Withdrawn", "--cause", "asked to stop", "--yes"]));
    const [details] = (await recorded(arn)).failed;
    expect(details?.error).toBe("Withdrawn");
    expect(JSON.parse(details?.cause ?? "")).toEqual({
      Cause: "asked to stop",
      DecidedBy: expect.stringMatching(CALLER),
      Via: "approvals CLI",
      DecisionId: expect.stringMatching(UUID),
    });
  });

  it("a batch: one GetCallerIdentity, and each execution its own DecisionId", async () => {
    const arns = [await start("who-batch-1"), await start("who-batch-2")];
    const proxy = await startProxy({ target: endpoint() });
    const result = await runCli(
      ["approve", "who-batch-1", "who-batch-2", "--reason", "both fine", "--yes", "--json", "--stack-name", stack],
      {
        env: { ...env, AWS_ENDPOINT_URL: proxy.endpoint },
      },
    ).finally(() => proxy.stop());
    ok(result);
    expect(proxy.stats.calls.GetCallerIdentity).toBe(1);
    expect(proxy.stats.calls.SendTaskSuccess).toBe(2);
    const outcomes = JSON.parse(result.stdout);
    const records = await Promise.all(arns.map(async (arn) => JSON.parse((await recorded(arn)).succeeded[0] ?? "")));
    expect(records.map((r) => r.Reason)).toEqual(["both fine", "both fine"]);
    expect(new Set(records.map((r) => r.DecisionId)).size).toBe(2);
    expect(outcomes.map((o: { decisionId: string }) => o.decisionId)).toEqual(records.map((r) => r.DecisionId));
  });

  it("--exact-payload sends the email's payload alone (fail: the cause as given)", async () => {
    const arn = await start("who-exact");
    ok(await run(["approve", "who-exact", "--exact-payload", "--yes"]));
    expect((await recorded(arn)).succeeded).toEqual([`{"Status":"Approved! Task approved by ${email}"}`]);
    const failed = await start("who-exact-fail");
    ok(await run(["fail", "who-exact-fail", "--error", "Withdrawn", "--cause", "as given", "--exact-payload", "--yes"]));
    expect((await recorded(failed)).failed[0]?.cause).toBe("as given");
  });

  it.each([
    ["with --exact-payload", ["--reason", "x", "--exact-payload"], /--reason cannot be combined with --exact-payload/],
    ["empty", ["--reason", "   "], /--reason must not be empty/],
    ["with an escape", ["--reason", "a\u001b[31mb"], /--reason holds a control character/],
    ["of 2001 characters", ["--reason", "x".repeat(2001)], /--reason is longer than 2000 characters/],
  ])("refuses a reason %s before anything is sent (exit 2)", async (_label, flags, message) => {
    const arn = await start(`who-bad-${Math.random().toString(36).slice(2, 8)}`);
    const name = arn.split(":").at(-1) ?? "";
    const result = await run(["approve", name, ...flags, "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n")[0]).toMatch(/^error: /);
    const { events } = { events: await historyOf(sdk().sfn, arn) };
    expect(events.some((e) => e.type === "TaskSucceeded")).toBe(false);
  });
});

describe("show and list read it back", () => {
  it("show: a decision block with outcome, by, via, reason and when; --json carries the record", async () => {
    await start("who-show");
    ok(await run(["approve", "who-show", "--reason", "looks right", "--yes", "--wait"]));
    const shown = ok(await run(["show", "who-show"]));
    expect(shown.stdout).toMatch(
      /^Decision\n {2}outcome {3}Approved\n {2}by {8}arn:aws:\S+\n {2}via {7}approvals CLI\n {2}reason {4}looks right\n {2}when {6}\d{4}-\d\d-\d\dT[\d:.]+Z$/m,
    );
    const report = JSON.parse(ok(await run(["show", "who-show", "--json"])).stdout);
    expect(report).toMatchObject({
      decidedBy: expect.stringMatching(CALLER),
      via: "approvals CLI",
      reason: "looks right",
      decisionId: expect.stringMatching(UUID),
    });
  });

  it("an old-style payload (no record) says what is known, and its --json fields are null", async () => {
    const arn = await start("who-old");
    const token = await waitForToken(sdk().sfn, arn);
    await sdk().sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ Status: `Approved! Task approved by ${email}` }) }),
    );
    await settled(sdk().sfn, arn);
    const shown = ok(await run(["show", "who-old"]));
    expect(shown.stdout).toContain(`  by        not recorded; the payload names ${email}\n  via       not recorded\n`);
    const report = JSON.parse(ok(await run(["show", "who-old", "--json"])).stdout);
    expect(report).toMatchObject({ decidedBy: null, via: null, reason: null, decisionId: null });
    const listed = JSON.parse(ok(await run(["list", "--json", "--limit", "50"])).stdout);
    expect(listed.find((e: { name: string }) => e.name === "who-old")).toMatchObject({
      decidedBy: null,
      via: null,
      reason: null,
      decisionId: null,
    });
  });

  it("list: a BY column; --decided-by filters on the whole DecidedBy in any case; --json carries the record", async () => {
    const listed = ok(await run(["list", "--limit", "50"]));
    const [header, ...rows] = listed.stdout.trim().split("\n");
    expect(header).toMatch(/^NAME\s+OUTCOME\s+STARTED\s+DECIDED\s+WAITED\s+BY\s+COMMENT$/);
    expect(rows.find((r) => r.startsWith("who-old "))).toMatch(/\s-\s+request who-old$/);
    const json = JSON.parse(ok(await run(["list", "--json", "--limit", "50"])).stdout);
    const approved = json.find((e: { name: string }) => e.name === "who-show");
    expect(approved).toMatchObject({ via: "approvals CLI", reason: "looks right", decisionId: expect.stringMatching(UUID) });
    const caller: string = approved.decidedBy;
    const filtered = JSON.parse(ok(await run(["list", "--json", "--limit", "50", "--decided-by", caller.slice(-8).toUpperCase()])).stdout);
    const names = filtered.map((e: { name: string }) => e.name);
    expect(names).toContain("who-show");
    expect(names).not.toContain("who-old");
    expect(names).not.toContain("who-exact");
    const none = ok(await run(["list", "--decided-by", "nobody-like-this"]));
    expect(none.stdout).toBe(`No executions decided by "nobody-like-this" in ${stack}.\n`);
  });
});
