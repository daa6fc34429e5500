import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SendTaskFailureCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { TEMPLATE_PATH } from "../unit/fixtures.js";
import { settled, waitForToken } from "./sfn-helpers.js";

const email = "ops@example.com";
const stackName = uniqueStackName("list");
const { sfn } = sdk();
let env: Record<string, string | undefined>;
let stateMachineArn: string;
const run = (args: string[], options: { stack?: string } = {}) => runCli([...args, "--stack-name", options.stack ?? stackName], { env });

/** An execution started straight through the SDK, waiting for its token. */
async function startWaiting(arn: string, name: string): Promise<{ executionArn: string; token: string }> {
  const { executionArn = "" } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify({ Comment: `about ${name}` }) }),
  );
  return { executionArn, token: await waitForToken(sfn, executionArn) };
}

/** A `list --json` entry. */
interface Listed {
  name: string;
  status: string;
  outcome: string;
  decision: string | null;
  error: string | null;
  cause: string | null;
  waitingSince: string | null;
  decidedAt: string | null;
  input: unknown;
}

/** The AWS calls a `--debug` run logged, as `service.Operation`. */
function callsIn(stderr: string): string[] {
  return [...stderr.matchAll(/^\[debug\] (\w+\.\w+) \d{3}/gm)].map((m) => m[1] as string);
}

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes", "--json"]);
  expect(deployed.code).toBe(0);
  stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
  const [approved, rejected, failed] = [
    await startWaiting(stateMachineArn, "will-approve"),
    await startWaiting(stateMachineArn, "will-reject"),
    await startWaiting(stateMachineArn, "will-fail"),
  ];
  await startWaiting(stateMachineArn, "still-waiting");
  expect((await run(["approve", "will-approve", "--yes"])).code).toBe(0);
  expect((await run(["reject", "will-reject", "--yes"])).code).toBe(0);
  await sfn.send(new SendTaskFailureCommand({ taskToken: failed.token, error: "Withdrawn", cause: "no longer needed" }));
  for (const e of [approved, rejected, failed]) await settled(sfn, e.executionArn);
});

describe("approvals list", () => {
  it("lists every execution newest first with its outcome, when it was decided and how long it waited", async () => {
    const result = await run(["list", "--json"]);
    expect(result.code).toBe(0);
    const listed: Listed[] = JSON.parse(result.stdout);
    expect(listed.map((e) => [e.name, e.outcome])).toEqual([
      ["still-waiting", "waiting"],
      ["will-fail", "failed"],
      ["will-reject", "rejected"],
      ["will-approve", "approved"],
    ]);
    const byName = Object.fromEntries(listed.map((e) => [e.name, e]));
    expect(byName["will-approve"]?.decision).toBe(`Approved! Task approved by ${email}`);
    expect(byName["will-fail"]).toMatchObject({ status: "FAILED", error: "Withdrawn", cause: "no longer needed" });
    expect(byName["still-waiting"]).toMatchObject({ status: "RUNNING", decidedAt: null, input: { Comment: "about still-waiting" } });
    for (const name of ["will-approve", "will-reject", "will-fail"]) {
      const e = byName[name] as Listed;
      expect(Date.parse(e.decidedAt ?? "")).toBeGreaterThan(Date.parse(e.waitingSince ?? ""));
    }
  });

  it("prints a table whose outcomes read as words", async () => {
    const result = await run(["list"]);
    expect(result.code).toBe(0);
    const rows = result.stdout.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^NAME +OUTCOME +STARTED +DECIDED +WAITED +BY +COMMENT$/);
    expect(rows.slice(1).map((row) => row.split(/ {2,}/).slice(0, 2))).toEqual([
      ["still-waiting", "Waiting"],
      ["will-fail", "Failed: Withdrawn"],
      ["will-reject", "Rejected"],
      ["will-approve", "Approved"],
    ]);
    expect(rows[1]).toMatch(/ - +\d+ sec +- +about still-waiting$/);
  });

  it("filters by outcome, start time and count", async () => {
    const names = async (...args: string[]) => JSON.parse((await run(["list", "--json", ...args])).stdout).map((e: Listed) => e.name);
    expect(await names("--status", "rejected")).toEqual(["will-reject"]);
    expect(await names("--status", "waiting")).toEqual(["still-waiting"]);
    expect(await names("--limit", "2")).toEqual(["still-waiting", "will-fail"]);
    expect(await names("--since", "2000-01-01", "--status", "approved")).toEqual(["will-approve"]);
    expect(await names("--since", "2999-01-01")).toEqual([]);
  });

  it("reads an ended execution's history once: the next list takes it from the cache", async () => {
    const home = tempHome();
    const first = await runCli(["list", "--debug", "--stack-name", stackName], { env: { ...env, HOME: home } });
    expect(callsIn(first.stderr).filter((c) => c === "SFN.GetExecutionHistory")).toHaveLength(4);
    const second = await runCli(["list", "--debug", "--stack-name", stackName], { env: { ...env, HOME: home } });
    expect(second.stdout.split("\n").map((row) => row.split(/ {2,}/)[1])).toEqual(
      first.stdout.split("\n").map((row) => row.split(/ {2,}/)[1]),
    );
    // Only the execution still running is read again.
    expect(callsIn(second.stderr).filter((c) => c === "SFN.GetExecutionHistory")).toHaveLength(1);
  });

  it("makes show's completion offer the finished names it listed", async () => {
    const home = tempHome();
    const local = { ...env, HOME: home };
    await runCli(["list", "--stack-name", stackName], { env: local });
    const completed = await runCli(["__complete", "show", "--stack-name", stackName, "will-"], { env: local });
    expect(completed.stdout.split("\n").filter(Boolean).sort()).toEqual(
      ["will-approve\tfinished", "will-fail\tfinished", "will-reject\tfinished"].sort(),
    );
  });

  it("makes show's completion offer recent finished names after a background refresh, without list", async () => {
    const local = { ...env, HOME: tempHome() };
    expect((await runCli(["__complete", "--refresh", "--stack-name", stackName], { env: local })).code).toBe(0);
    const completed = await runCli(["__complete", "show", "--stack-name", stackName, "will-a"], { env: local });
    expect(completed.stdout).toBe("will-approve\tfinished\n");
    const waiting = await runCli(["__complete", "show", "--stack-name", stackName, "still"], { env: local });
    expect(waiting.stdout).toBe("still-waiting\twaiting\n");
  });

  it.each([
    [["--status", "done"], /^error: --status "done" is not an outcome\.$/m],
    [["--since", "yesterday"], /^error: --since "yesterday" is neither a duration nor a date\.$/m],
    [["--limit", "0"], /^error: --limit "0" is not a whole number from 1 to 1000\.$/m],
  ])("refuses %j with exit 2, sending nothing", async (flags, message) => {
    const result = await run(["list", ...flags, "--debug"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(callsIn(result.stderr)).toEqual([]);
    expect(result.stdout).toBe("");
  });
});

describe("approvals list after a timeout", () => {
  it("says Timed out for an execution the state machine's TimeoutSeconds ended", async () => {
    const stack = uniqueStackName("list-timeout");
    const body = readFileSync(TEMPLATE_PATH, "utf8").replace('"TimeoutSeconds": 3600', '"TimeoutSeconds": 2');
    const template = join(tempHome(), "short-timeout.yaml");
    writeFileSync(template, body);
    const deployed = await run(["deploy", "--template", template, "--email", email, "--yes", "--json"], { stack });
    expect(deployed.code).toBe(0);
    const arn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "too-slow", input: "{}" }));
    expect((await settled(sfn, executionArn ?? "")).status).toBe("TIMED_OUT");
    const listed: Listed[] = JSON.parse((await run(["list", "--json", "--status", "timed-out"], { stack })).stdout);
    expect(listed.map((e) => [e.name, e.outcome, e.status])).toEqual([["too-slow", "timed-out", "TIMED_OUT"]]);
    // The emulator records neither ExecutionTimedOut nor a stop date here (DEVELOPERS.md), so no decision time.
    expect((await run(["list"], { stack })).stdout).toMatch(/^too-slow +Timed out /m);
    expect((await run(["destroy", "--yes"], { stack })).code).toBe(0);
  });
});

// Keep the emulator tidy for the files that run after this one.
describe("cleanup", () => {
  it("destroys the stack", async () => {
    expect((await run(["destroy", "--yes"])).code).toBe(0);
  });
});
