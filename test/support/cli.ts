import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ChangeSetSummary, CloudFormationClient, DescribeStacksCommand, ListChangeSetsCommand } from "@aws-sdk/client-cloudformation";
import { SFNClient } from "@aws-sdk/client-sfn";
import { expect, inject } from "vitest";
import { emulatorEnv } from "../../scripts/emulator.mjs";

/** The built CLI, run exactly as a user runs it. */
export const BIN = resolve(import.meta.dirname, "../../bin/approvals.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Text for stdin; stdin is closed (not a terminal) either way. */
  input?: string;
  env?: Record<string, string | undefined>;
  /** Kill the process after this many ms (default 60 s). */
  timeoutMs?: number;
  cwd?: string;
}

/** A private HOME so cache and config files of one test never meet another's. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), "approvals-home-"));
}

/** The emulator's endpoint, from the global setup. */
export function endpoint(): string {
  return inject("endpoint");
}

/** Environment of a CLI run against the emulator: no colour, short polls, its own HOME. */
export function cliEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const { AWS_PROFILE, AWS_DEFAULT_REGION, FORCE_COLOR, CI, ...base } = process.env;
  return { ...base, ...emulatorEnv(endpoint()), NO_COLOR: "1", APPROVALS_POLL_MS: "100", HOME: tempHome(), ...extra };
}

/** A running `approvals` subprocess: `child` to signal it, `done` when it has exited. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  done: Promise<CliResult>;
}

/** Start `approvals <args>` as a subprocess (for tests that signal it while it runs). */
export function startCli(args: string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env ?? cliEnv(),
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
  child.stdin.end(options.input ?? "");
  return { child, done };
}

/** Run `approvals <args>` as a subprocess. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

/** SDK clients pointed at the emulator, for asserting what reached it. */
export function sdk() {
  const config = {
    endpoint: endpoint(),
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  };
  return { sfn: new SFNClient(config), cfn: new CloudFormationClient(config) };
}

/** A stack name no other test uses. */
export function uniqueStackName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * The change sets of one stack. The emulator ignores ListChangeSets' StackName and lists every
 * stack's, so tests running side by side would otherwise count each other's.
 */
export async function changeSetsOf(cfn: CloudFormationClient, stackName: string): Promise<ChangeSetSummary[]> {
  const { Summaries } = await cfn.send(new ListChangeSetsCommand({ StackName: stackName }));
  return (Summaries ?? []).filter((s) => s.StackName === stackName);
}

/**
 * Deploy `stack` with the bundled template straight at the emulator (set-up, not under test: it
 * must succeed); return the environment of that direct run, for later set-up commands.
 */
export async function deployStack(stack: string, email = "ops@example.com"): Promise<Record<string, string | undefined>> {
  const env = cliEnv();
  const deployed = await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env });
  expect(deployed.code, deployed.stderr).toBe(0);
  return env;
}

/** A stack's status at the emulator, or "NONE" when it does not exist. */
export async function stackStatus(stackName: string): Promise<string> {
  try {
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.StackStatus ?? "NONE";
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return "NONE";
    throw error;
  }
}
