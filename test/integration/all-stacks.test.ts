// Two human-approval stacks on the emulator, driven through the built CLI: `pending --all-stacks`,
// decisions named `stack/execution`, a batch's summary line, and `fail` without `--cause`.
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { settled, waitForToken } from "./sfn-helpers.js";

const first = uniqueStackName("all-a");
const second = uniqueStackName("all-b");
const emails = { [first]: "first@example.com", [second]: "second@example.com" };
const { sfn, cfn } = sdk();
let env: Record<string, string | undefined>;
const run = (args: string[], input?: string) => runCli(args, { env, input });

interface Entry {
  stack: string;
  name: string;
  executionArn: string;
}

/** Start an execution in a stack and wait until it waits for its token. */
async function startWaiting(stack: string, name: string, comment: string): Promise<string> {
  const result = await run(
    ["start", "--input", "-", "--name", name, "--json", "--stack-name", stack],
    JSON.stringify({ Comment: comment }),
  );
  expect(result.code, result.stderr).toBe(0);
  const { executionArn } = JSON.parse(result.stdout);
  await waitForToken(sfn, executionArn);
  return executionArn;
}

/** `pending --all-stacks --json`, keeping this test's stacks only (other tests share the emulator). */
async function pendingOfOurs(): Promise<Entry[]> {
  const result = await run(["pending", "--all-stacks", "--json"]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as Entry[]).filter((e) => e.stack === first || e.stack === second);
}

beforeAll(async () => {
  env = cliEnv();
  for (const stack of [first, second]) {
    const deployed = await run(["deploy", "--email", emails[stack] as string, "--yes", "--stack-name", stack]);
    expect(deployed.code, deployed.stderr).toBe(0);
  }
}, 120_000);

describe("across stacks", () => {
  it("deploy tags the stack so --all-stacks finds it cheaply", async () => {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: first }));
    expect(Stacks?.[0]?.Tags).toContainEqual({ Key: "approvals:workflow", Value: "human-approval" });
  });

  it("pending --all-stacks lists both stacks' waiting executions, newest first, with their stack", async () => {
    await startWaiting(first, "a-one", "from the first stack");
    await startWaiting(second, "b-one", "from the second stack");
    const entries = await pendingOfOurs();
    expect(entries.map((e) => `${e.stack}/${e.name}`)).toEqual([`${second}/b-one`, `${first}/a-one`]);

    const table = await run(["pending", "--all-stacks"]);
    expect(table.code).toBe(0);
    expect(table.stdout.split("\n")[0]).toMatch(/^STACK +NAME +STARTED +WAITING FOR +TIME LEFT +COMMENT$/);
    expect(table.stdout).toMatch(new RegExp(`^${first} +a-one .*from the first stack$`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^${second} +b-one .*from the second stack$`, "m"));
    expect(table.stderr).toMatch(/waiting in \d+ human-approval stacks/);
  });

  it("reads each stack's outputs once on a cold run: the one listing's DescribeStacks, none per stack", async () => {
    const proxy = await startProxy({ target: endpoint() });
    try {
      // A fresh HOME: nothing remembered of any stack.
      const cold = await runCli(["pending", "--all-stacks", "--json"], { env: cliEnv({ AWS_ENDPOINT_URL: proxy.endpoint }) });
      expect(cold.code, cold.stderr).toBe(0);
      // Both of this file's stacks (and any other test's) were listed.
      expect(proxy.stats.calls.ListExecutions).toBeGreaterThanOrEqual(2);
      const describes = proxy.received.filter((r) => r.operation === "DescribeStacks");
      expect(describes.length).toBeGreaterThan(0);
      expect(describes.filter((r) => /(^|&)StackName=/.test(r.body)).map((r) => r.body)).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it("refuses --all-stacks with another --stack-name before anything is sent", async () => {
    const result = await run(["pending", "--all-stacks", "--stack-name", first]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--all-stacks reads every stack: leave out --stack-name.");
  });

  it("refuses --all-stacks with --stack-name even when it names the default stack", async () => {
    const result = await run(["pending", "--all-stacks", "--stack-name", "human-approval"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--all-stacks reads every stack: leave out --stack-name.");
  });

  it("approves stack/execution names, each with its own stack's payload, and summarises a partial batch", async () => {
    const a = await startWaiting(first, "a-two", "x");
    const b = await startWaiting(second, "b-two", "y");
    const result = await run(["approve", `${first}/a-two`, `${second}/b-two`, `${second}/no-such`, "--yes", "--json"]);
    expect(result.code).toBe(3);
    const outcomes = JSON.parse(result.stdout);
    expect(outcomes.map((o: { stack: string; name: string; sent: boolean }) => [o.stack, o.name, o.sent])).toEqual([
      [first, "a-two", true],
      [second, "b-two", true],
      [second, "no-such", false],
    ]);
    expect(JSON.parse((await settled(sfn, a)).output ?? "")).toMatchObject({ Status: "Approved! Task approved by first@example.com" });
    expect(JSON.parse((await settled(sfn, b)).output ?? "")).toMatchObject({ Status: "Approved! Task approved by second@example.com" });

    const again = await run(["reject", `${first}/a-two`, `${second}/b-one`, "--yes"]);
    expect(again.code).toBe(3);
    expect(again.stdout).toMatch(new RegExp(`^✖ ${first}/a-two: Execution a-two is not waiting`, "m"));
    expect(again.stdout).toMatch(new RegExp(`^✔ Rejected ${second}/b-one$`, "m"));
    expect(again.stdout.trimEnd().split("\n").at(-1)).toBe("1 rejected, 1 not waiting");
  });

  it("a stack that does not exist refuses only its own executions", async () => {
    const result = await run(["approve", "no-such-stack/x", `${first}/a-one`, "--yes"]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("✖ no-such-stack/x: Stack no-such-stack does not exist");
    expect(result.stdout).toMatch(new RegExp(`^✔ Approved ${first}/a-one$`, "m"));
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("1 approved, 1 not found");
    expect((await pendingOfOurs()).map((e) => e.name)).toEqual([]);
  });

  it("show reads stack/execution names, as approve does, and suggests deciding on the execution's own stack", async () => {
    const inFirst = await startWaiting(first, "same-name", "first's");
    const inSecond = await startWaiting(second, "same-name", "second's");
    for (const [stack, arn] of [
      [first, inFirst],
      [second, inSecond],
    ] as const) {
      const json = await run(["show", `${stack}/same-name`, "--json"]);
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ name: "same-name", executionArn: arn });
    }
    const text = await run(["show", `${second}/same-name`, "--stack-name", first]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain(`approvals approve same-name --stack-name ${second}`);
    const bad = await run(["show", "not_a stack/same-name"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: "not_a stack\/same-name": "not_a stack" is not a valid CloudFormation stack name\.$/m);
  });

  it("fail needs no --cause, as in AWS", async () => {
    const arn = await startWaiting(second, "b-three", "z");
    // The exact payload: no record of who decided, so no cause at all.
    const result = await run(["fail", `${second}/b-three`, "--error", "Withdrawn", "--exact-payload", "--yes", "--wait"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`✔ Failed ${second}/b-three → FAILED in Lambda Callback (Withdrawn)`);
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
    expect(execution.error).toBe("Withdrawn");
    expect(execution.cause ?? "").toBe("");
  });
});
