import { SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { watchInPipe } from "../support/watch.js";
import { waitForToken } from "./sfn-helpers.js";

const email = "ops@example.com";
const stackName = uniqueStackName("watch");
const { sfn } = sdk();
let env: Record<string, string | undefined>;
let stateMachineArn: string;
const run = (args: string[]) => runCli([...args, "--stack-name", stackName], { env });

/** Start an execution from another process's point of view: straight through the SDK. */
async function startWaiting(name: string): Promise<{ executionArn: string; token: string }> {
  const input = JSON.stringify({ Comment: `about ${name}` });
  const { executionArn = "" } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  return { executionArn, token: await waitForToken(sfn, executionArn) };
}

/** Resolve once `text()` matches, polling (bounded) while the watcher runs. */
async function until(text: () => string, pattern: RegExp, ms = 30_000): Promise<void> {
  await eventually(() => pattern.test(text()), { deadline: ms, what: `${pattern} in:\n${text()}` });
}

beforeAll(async () => {
  env = cliEnv();
  const deployed = await run(["deploy", "--email", email, "--yes", "--json"]);
  expect(deployed.code).toBe(0);
  stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
});

afterAll(async () => {
  await run(["destroy", "--yes"]);
});

describe("approvals pending --watch in a pipe", () => {
  it("prints one line per change while another process starts and decides executions; Ctrl-C exits 0", async () => {
    await startWaiting("was-waiting");
    const { watcher, seen } = watchInPipe(["--debug", "--stack-name", stackName], { env, timeoutMs: 120_000 });
    const stdout = () => seen.stdout;
    await until(stdout, /^\+ was-waiting {2}about was-waiting$/m);

    const approved = await startWaiting("to-approve");
    const failed = await startWaiting("to-fail");
    await until(stdout, /^\+ to-fail {2}about to-fail$/m);
    await until(stdout, /^\+ to-approve {2}about to-approve$/m);

    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: approved.token, output: JSON.stringify({ Status: `Approved! Task approved by ${email}` }) }),
    );
    await sfn.send(new SendTaskFailureCommand({ taskToken: failed.token, error: "Withdrawn", cause: "no longer needed" }));
    await until(stdout, /^- to-approve approved$/m);
    await until(stdout, /^- to-fail failed Withdrawn$/m);

    const rejected = await startWaiting("to-reject");
    await until(stdout, /^\+ to-reject /m);
    expect((await run(["reject", "to-reject", "was-waiting", "--yes"])).code).toBe(0);
    await until(stdout, /^- to-reject rejected$/m);
    await until(stdout, /^- was-waiting rejected$/m);

    watcher.child.kill("SIGINT");
    const result = await watcher.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Stopped watching\.$/m);
    expect(result.stderr).not.toMatch(/^error:/m);
    // Every change exactly once, and nothing else on stdout (no token, no table).
    expect(result.stdout.trimEnd().split("\n")).toEqual([
      "+ was-waiting  about was-waiting",
      expect.stringMatching(/^\+ to-(approve|fail) {2}about to-(approve|fail)$/),
      expect.stringMatching(/^\+ to-(approve|fail) {2}about to-(approve|fail)$/),
      expect.stringMatching(/^- (to-approve approved|to-fail failed Withdrawn)$/),
      expect.stringMatching(/^- (to-approve approved|to-fail failed Withdrawn)$/),
      "+ to-reject  about to-reject",
      expect.stringMatching(/^- (to-reject|was-waiting) rejected$/),
      expect.stringMatching(/^- (to-reject|was-waiting) rejected$/),
    ]);
    expect(result.stdout).not.toContain(rejected.token);

    // The warm cache: the stack and definition are read once, each refresh is one ListExecutions, and
    // each execution's history is read once, when it first appears.
    const calls = [...seen.stderr.matchAll(/^\[debug\] (\w+\.\w+) \d{3}/gm)].map((m) => m[1]);
    expect(calls.filter((c) => c === "CloudFormation.DescribeStacks")).toHaveLength(1);
    expect(calls.filter((c) => c === "SFN.DescribeStateMachine")).toHaveLength(1);
    expect(calls.filter((c) => c === "SFN.GetExecutionHistory")).toHaveLength(4);
    expect(calls.filter((c) => c === "SFN.DescribeExecution")).toHaveLength(4);
    expect(calls.filter((c) => c === "SFN.ListExecutions").length).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [["--watch", "--interval", "1"], /^error: --interval 1 is below the 2 s floor\.$/m],
    [["--interval", "5"], /^error: --interval only applies with --watch\.$/m],
    [["--watch", "--json"], /^error: --watch cannot be combined with --json\.$/m],
  ])("refuses pending %j with exit 2 before sending anything", async (flags, message) => {
    const result = await run(["pending", ...flags, "--debug"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/^\[debug\] \w+\.\w+ \d{3}/m);
  });
});

describe("approvals pending --watch --all-stacks in a pipe", () => {
  it("names each change stack/name, reads each stack's outputs once, and ends with Ctrl-C", async () => {
    const mine = (text: string) =>
      text
        .split("\n")
        .filter((line) => line.includes(`${stackName}/`))
        .join("\n");
    const { watcher, seen, rounds } = watchInPipe(["--all-stacks", "--debug"], { env, timeoutMs: 240_000 });
    const arrived = await startWaiting("across-one");
    await until(() => seen.stdout, new RegExp(`^\\+ ${stackName}/across-one {2}about across-one$`, "m"), rounds());
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: arrived.token, output: JSON.stringify({ Status: `Approved! Task approved by ${email}` }) }),
    );
    await until(() => seen.stdout, new RegExp(`^- ${stackName}/across-one approved$`, "m"), rounds());

    watcher.child.kill("SIGINT");
    const result = await watcher.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^Stopped watching\.$/m);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(mine(result.stdout)).toBe([`+ ${stackName}/across-one  about across-one`, `- ${stackName}/across-one approved`].join("\n"));
    expect(result.stdout).not.toContain(arrived.token);
    // One DescribeStacks listing finds the stacks and gives their outputs: none is described again.
    expect(result.stderr).toMatch(/^Watching every human-approval stack every 2 s/m);
    const calls = [...result.stderr.matchAll(/^\[debug\] (\w+\.\w+) \d{3}/gm)].map((m) => m[1]);
    expect(calls.filter((c) => c === "CloudFormation.DescribeStacks")).toHaveLength(1);
  }, 240_000);

  it("keeps ListExecutions to one call every 2 s whatever the number of stacks", async () => {
    // Two stacks at least: at --interval 2 a refresh of each every 2 s would take each stack's share twice over.
    const second = `${stackName}-two`;
    expect((await runCli(["deploy", "--email", email, "--yes", "--stack-name", second], { env })).code).toBe(0);
    try {
      await startWaiting("across-rate");
      const { watcher, seen } = watchInPipe(["--all-stacks", "--debug"], { env, timeoutMs: 200_000 });
      const listings = () => seen.stderr.match(/^\[debug\] SFN\.ListExecutions \d{3}/gm)?.length ?? 0;
      await until(() => seen.stdout, new RegExp(`^\\+ ${stackName}/across-rate `, "m"));
      const before = listings();
      // As many stacks as the shared emulator holds: the round is 2 s for each, as the watch says.
      const every = 1000 * Number(seen.stderr.match(/^Refreshing every (\d+) s: 2 s for each stack\.$/m)?.[1]);
      expect(every).toBeGreaterThanOrEqual(4000);
      // The next round, and a margin for its calls.
      const window = every + 3000;
      await new Promise((resolve) => setTimeout(resolve, window));
      const during = listings() - before;
      watcher.child.kill("SIGINT");
      const result = await watcher.done;
      expect(result.code).toBe(0);
      // The stacks' listings in the window, one every 2 s at most; and the positive control: some were made.
      expect(during).toBeGreaterThan(0);
      expect(during).toBeLessThanOrEqual(window / 2000);
    } finally {
      await runCli(["destroy", "--yes", "--stack-name", second], { env });
    }
  }, 240_000);

  it("notes once the executions of a stack deleted while watched, and stops refreshing it", async () => {
    const doomed = `${stackName}-gone`;
    const deployed = await runCli(["deploy", "--email", email, "--yes", "--json", "--stack-name", doomed], { env });
    expect(deployed.code).toBe(0);
    const machine = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
    const { executionArn = "" } = await sfn.send(new StartExecutionCommand({ stateMachineArn: machine, name: "gone-one", input: "{}" }));
    await waitForToken(sfn, executionArn);
    const { watcher, seen, rounds } = watchInPipe(["--all-stacks"], { env, timeoutMs: 200_000 });
    await until(() => seen.stdout, new RegExp(`^\\+ ${doomed}/gone-one {2}`, "m"), rounds());
    expect((await runCli(["destroy", "--yes", "--stack-name", doomed], { env })).code).toBe(0);
    const gone = new RegExp(`^- ${doomed}/gone-one gone with its stack$`, "m");
    await until(() => seen.stdout, gone, rounds());
    // Two more rounds: the deleted stack is not refreshed again, so nothing fails (before, each round warned).
    await new Promise((resolve) => setTimeout(resolve, rounds() - 30_000));
    watcher.child.kill("SIGINT");
    const result = await watcher.done;
    expect(result.code).toBe(0);
    expect(result.stdout.match(new RegExp(`${doomed}/gone-one`, "g"))).toHaveLength(2);
    expect(result.stderr).not.toMatch(/refresh failed/);
  }, 240_000);

  it("ends at the first Ctrl-C with exit 0 when the endpoint stops answering mid-refresh", async () => {
    await startWaiting("across-hang");
    const proxy = await startProxy({ target: endpoint() });
    try {
      const { watcher, seen, round } = watchInPipe(["--all-stacks", "--cli-read-timeout", "60"], {
        env: { ...env, AWS_ENDPOINT_URL: proxy.endpoint },
        timeoutMs: 150_000,
      });
      await until(() => seen.stdout, new RegExp(`^\\+ ${stackName}/across-hang `, "m"));
      // From now on nothing answers: the next refresh's calls hang until their 60 s read timeout.
      proxy.configure({ blackHole: true });
      await eventually(() => Object.keys(proxy.stats.swallowed).length > 0, { deadline: 30_000 + round(), what: "a refresh call to hang" });
      const interrupted = Date.now();
      watcher.child.kill("SIGINT");
      const result = await watcher.done;
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/^Stopped watching\.$/m);
      expect(result.stderr).not.toMatch(/^error:/m);
      // Well under one read timeout: the hung calls were abandoned, not waited for.
      expect(Date.now() - interrupted).toBeLessThan(15_000);
    } finally {
      await proxy.stop();
    }
  }, 180_000);

  it("refuses --watch --all-stacks with --stack-name before sending anything", async () => {
    const result = await run(["pending", "--watch", "--all-stacks", "--debug"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --all-stacks reads every stack: leave out --stack-name\.$/m);
    expect(result.stderr).not.toMatch(/^\[debug\] \w+\.\w+ \d{3}/m);
  });
});
