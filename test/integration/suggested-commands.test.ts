// Every command the CLI prints for the user to run is followed here as printed, by a POSIX shell, and
// must act on what the run that printed it acted on. The runs name everything by flag: a stack that is
// not the default one, a profile (the only credentials), a region no other test uses and the endpoint
// (no AWS_* variable is set). The default stack, deployed in the same region, holds executions of the
// same names: a command that dropped --stack-name would act on those instead.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { BIN, type CliResult, endpoint, runCli, startCli, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { settled, waitForToken } from "./sfn-helpers.js";

const REGION = "ap-southeast-2";
const PROFILE = "suggest";
const DEFAULT_STACK = "human-approval";
const stack = uniqueStackName("suggest");
/** Execution names unique to this run (an emulator kept running between runs keeps old ones). */
const tag = Date.now().toString(36);
const keys = { accessKeyId: "testing", secretAccessKey: "testing" };
let home: string;
let env: Record<string, string | undefined>;
let proxy: EmulatorProxy | undefined;
const machines: Record<string, string> = {};

/** The flags every run of this file gives, with the endpoint to use. */
const awsFlags = (url = endpoint()) => ["--profile", PROFILE, "--region", REGION, "--endpoint-url", url];
const scoped = (args: string[], url?: string) => [...args, "--stack-name", stack, ...awsFlags(url)];
const run = (args: string[], input?: string) => runCli(args, { env, input });
const sfn = () => new SFNClient({ endpoint: endpoint(), region: REGION, credentials: keys });

/**
 * The commands that follow a lead-in (`Next:`, `Decide with:`) in some output: on its line, split at
 * ` | `, or, when they did not fit there, one on each indented line after it (a long one continued
 * over lines ending in ` \`).
 */
function suggested(output: string, lead: RegExp): string[] {
  const lines = output.split("\n");
  const at = lines.findIndex((l) => lead.test(l));
  expect(at, `no line matching ${lead} in:\n${output}`).toBeGreaterThanOrEqual(0);
  const rest = (lines[at] as string).replace(lead, "").trim();
  if (rest) return rest.split(" | ");
  const after = lines.slice(at + 1);
  const end = after.findIndex((l) => !l.startsWith("  "));
  // A command wider than the terminal goes on over lines ending in ` \`, as a shell reads it.
  const printed = after.slice(0, end < 0 ? undefined : end).join("\n");
  return printed.split(/(?<! \\)\n/).map((l) => l.replace(/ \\\n\s+/g, " ").trim());
}

/** The command a hint names between backticks. */
function hinted(output: string): string {
  const hint = output.split("\n").find((l) => l.startsWith("hint: "));
  const command = hint?.match(/`([^`]+)`/)?.[1];
  expect(command, `no command in a hint in:\n${output}`).toBeDefined();
  return command as string;
}

/**
 * Run a suggested command as a user pastes it into a POSIX shell (dash), with `approvals` the built
 * CLI; `extra` is appended as typed after it (`--yes`, where no terminal can confirm).
 */
function follow(command: string, extra = "", cwd?: string): Promise<CliResult> {
  // A command may take its input from a pipe (`echo '{…}' | approvals start --input -`).
  expect(command).toMatch(/^(echo '[^']*' \| )?approvals /);
  const script = `approvals() { "$APPROVALS_NODE" "$APPROVALS_BIN" "$@"; }\n${command} ${extra}`;
  return new Promise((resolve) => {
    execFile(
      "/bin/sh",
      ["-c", script],
      { env: { ...env, APPROVALS_NODE: process.execPath, APPROVALS_BIN: BIN }, cwd, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Start an execution of this name in a stack, through the CLI, and wait until it waits for its token. */
async function startWaiting(stackName: string, name: string): Promise<string> {
  const result = await run(
    ["start", "--input", "-", "--name", name, "--json", "--stack-name", stackName, ...awsFlags()],
    JSON.stringify({ Comment: `${name} in ${stackName}` }),
  );
  expect(result.code, result.stderr).toBe(0);
  const { executionArn } = JSON.parse(result.stdout);
  await waitForToken(sfn(), executionArn);
  return executionArn;
}

/** What the ARNs of a stack's executions start with. */
const executionsOf = (stackName: string) => `${(machines[stackName] as string).replace(":stateMachine:", ":execution:")}:`;
const statusOf = async (arn: string) => (await sfn().send(new DescribeExecutionCommand({ executionArn: arn }))).status;

let deployOutput: CliResult;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "approvals-suggest-"));
  mkdirSync(join(home, ".aws"));
  writeFileSync(join(home, ".aws", "credentials"), `[${PROFILE}]\naws_access_key_id = testing\naws_secret_access_key = testing\n`);
  writeFileSync(join(home, ".aws", "config"), "");
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  env = { ...base, HOME: home, NO_COLOR: "1", CI: undefined, APPROVALS_POLL_MS: "100", AWS_EC2_METADATA_DISABLED: "true" };
  const other = await run(["deploy", "--email", "default@example.com", "--yes", ...awsFlags()]);
  expect(other.code, other.stderr).toBe(0);
  deployOutput = await run(scoped(["deploy", "--email", "suggest@example.com", "--yes"]));
  expect(deployOutput.code, deployOutput.stderr).toBe(0);
  const cfn = new CloudFormationClient({ endpoint: endpoint(), region: REGION, credentials: keys });
  for (const name of [DEFAULT_STACK, stack]) {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    machines[name] = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue ?? "";
  }
}, 180_000);

afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

describe("suggested commands act on the same stack, profile, region and endpoint", () => {
  it("deploy's and start's Next", async () => {
    const [next] = suggested(deployOutput.stderr, /^Next:( confirm the subscription email, then)?/);
    expect(next).toMatch(/^echo '\{"Comment":"Try me"\}' \| approvals start --input - /);
    const started = await follow(next as string);
    expect(started.code, started.stderr).toBe(0);
    const arn = started.stdout.split("\n")[1]?.trim() ?? "";
    expect(arn.startsWith(executionsOf(stack))).toBe(true);
    await waitForToken(sfn(), arn);

    const [pending] = suggested(started.stderr, /^Next:/);
    const listed = await follow(pending as string);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(arn.split(":").at(-1));
  });

  it("show's Decide with", async () => {
    const name = `shown-${tag}`;
    const ours = await startWaiting(stack, name);
    const theirs = await startWaiting(DEFAULT_STACK, name);
    const shown = await run(scoped(["show", name]));
    expect(shown.code, shown.stderr).toBe(0);
    const [approve, reject] = suggested(shown.stderr, /^Decide with:/);
    expect(reject).toMatch(/^approvals reject /);
    // No terminal here to confirm at: --yes, as the CLI's refusal would ask.
    const approved = await follow(approve as string, "--yes");
    expect(approved.code, approved.stderr).toBe(0);
    expect((await settled(sfn(), ours)).status).toBe("SUCCEEDED");
    expect(await statusOf(theirs)).toBe("RUNNING");
  });

  it("show's Decide with, for a name a command line would read as an option", async () => {
    // Step Functions allows `-` and `=` in names: this one, after `approvals approve`, is an option.
    const name = `--stack-name=${DEFAULT_STACK}-${tag}`;
    const ours = await startWaiting(stack, name);
    const shown = await run([...scoped(["show"]), "--", name]);
    expect(shown.code, shown.stderr).toBe(0);
    const [approve] = suggested(shown.stderr, /^Decide with:/);
    expect(approve).toMatch(/ -- '?--stack-name=/);
    // After `--` every word is a name: --yes goes before it.
    const approved = await follow((approve as string).replace(/^approvals approve /, "approvals approve --yes "));
    expect(approved.code, approved.stderr).toBe(0);
    expect((await settled(sfn(), ours)).status).toBe("SUCCEEDED");
  });

  it("an error's hint", async () => {
    const name = `decided-${tag}`;
    const lonely = `only-here-${tag}`;
    await startWaiting(stack, name);
    await startWaiting(DEFAULT_STACK, name);
    await startWaiting(stack, lonely);
    expect((await run(scoped(["approve", name, "--yes"]))).code).toBe(0);
    const again = await run(scoped(["approve", name, "--yes"]));
    expect(again.code).toBe(3);
    const listed = await follow(hinted(again.stderr));
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(lonely);
    // The default stack's execution of the same name waits, and is not listed: this is the other stack.
    expect(listed.stdout).not.toContain(`${name} `);
  });

  it("the rest of an interrupted batch, with fail's error and a cause a shell would split or expand", async () => {
    const names = Array.from({ length: 14 }, (_, i) => `batch-${tag}-${i + 1}`);
    const ours = new Map<string, string>();
    for (const name of names) ours.set(name, await startWaiting(stack, name));
    const theirs = await Promise.all(names.slice(0, 3).map((name) => startWaiting(DEFAULT_STACK, name)));
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: 1500, operation: "SendTaskFailure" }] });
    const cause = `it's withdrawn; see $HOME "now"`;
    // The cause as given (--exact-payload), so it reads back whole; the rest's command repeats the flag.
    const batch = startCli(
      scoped(["fail", ...names, "--error", "Withdrawn", "--cause", cause, "--exact-payload", "--yes"], proxy.endpoint),
      {
        env,
      },
    );
    await eventually(() => (proxy?.stats.calls.SendTaskFailure ?? 0) >= 1, {
      deadline: 30_000,
      interval: 20,
      what: "the first SendTaskFailure",
    });
    batch.child.kill("SIGINT");
    const interrupted = await batch.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const rest = hinted(interrupted.stderr);
    expect(rest).toMatch(/^approvals fail batch-.* --exact-payload /);
    proxy.configure({ delays: [] });

    const sent = await follow(rest, "--yes");
    expect(sent.code, sent.stderr).toBe(0);
    for (const arn of ours.values()) {
      const ended = await settled(sfn(), arn);
      expect(ended.status).toBe("FAILED");
      expect([ended.error, ended.cause]).toEqual(["Withdrawn", cause]);
    }
    for (const arn of theirs) {
      expect(arn.startsWith(executionsOf(DEFAULT_STACK))).toBe(true);
      expect(await statusOf(arn)).toBe("RUNNING");
    }
  }, 120_000);
});
