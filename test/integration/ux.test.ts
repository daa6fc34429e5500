// What a person reads: the plain (NO_COLOR) output of every command, snapshotted with dates,
// ARNs, ids and tokens scrubbed, plus what reached the emulator behind it.
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.js";
import { type CliResult, cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";

const stack = uniqueStackName("ux");
const email = "ops@example.com";
let env: Record<string, string | undefined>;
const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

/**
 * Replace what changes from run to run, keeping widths where a value sits inside an aligned
 * column: dates, clock times, moto's random ids, the API id, task tokens and the stack name.
 */
function scrub(text: string, stackName = stack): string {
  return (
    text
      .split(stackName)
      .join("<stack>")
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, (m) => m.replace(/\d/g, "0"))
      .replace(/\b\d{2}:\d{2}:\d{2}\b/g, "00:00:00")
      // Every format of the timeline's ELAPSED column (0.0s, 12s, 3m05s, 1h02m), padded back to its width.
      .replace(/\+(?:\d+\.\ds|\d+s|\d+m\d{2}s|\d+h\d{2}m)(?= |$)( *)/gm, (m) => "+0.0s".padEnd(m.length))
      .replace(/taskToken=[^&\s]+/g, "taskToken=<token>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>")
      .replace(/-([A-Z0-9]{12})\b/g, "-XXXXXXXXXXXX")
      .replace(/https:\/\/[a-z0-9]+\.execute-api/g, "https://<api>.execute-api")
      // A duration's unit changes with the machine's pace too (59 min or 1 hr left): both go.
      .replace(/\b\d+ (sec|min|hr|days?)\b/g, "<duration>")
  );
}

/** For tables whose cells hold times that change width: one run of two spaces between columns. */
function squeeze(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/(\S) {2,}/g, "$1  "))
    .join("\n");
}

function plain(result: CliResult): { code: number | null; stdout: string; stderr: string } {
  return { code: result.code, stdout: scrub(result.stdout), stderr: scrub(result.stderr) };
}

async function statusOf(name: string, stateMachineArn: string): Promise<string> {
  const executionArn = `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
  const { status } = await sdk().sfn.send(new DescribeExecutionCommand({ executionArn }));
  return status ?? "";
}

describe("scrub", () => {
  it("covers every duration format, keeping column widths", () => {
    for (const elapsed of ["+0.0s  ", "+9.9s  ", "+20s   ", "+3m05s ", "+1h02m "]) {
      expect(scrub(`00:00:01    ${elapsed}TaskSucceeded`)).toBe(`00:00:00    ${"+0.0s".padEnd(elapsed.length)}TaskSucceeded`);
    }
    expect(scrub("12 sec ago  in 47 min  2 hr  1 min  3 days")).toBe("<duration> ago  in <duration>  <duration>  <duration>  <duration>");
  });
});

// Each case stands alone: what one needs (a fresh stack, a decided execution) it makes itself,
// so the cases pass in any order and one at a time (`-t`).
describe("plain output of every command", () => {
  let stateMachineArn: string;
  let deployed: CliResult;
  /** `pending` on the fresh stack, before any case started an execution. */
  let empty: CliResult;

  beforeAll(async () => {
    env = cliEnv();
    deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    const outputs = await run(["outputs", "--json"]);
    stateMachineArn = JSON.parse(outputs.stdout).outputs.StateMachineHumanApprovalArn;
    empty = await run(["pending"]);
  });

  afterAll(async () => {
    await run(["destroy", "--yes"]);
  });

  it("deploy: change set, each event, outputs table, checklist, next command", () => {
    expect(plain(deployed)).toMatchSnapshot();
  });

  it("help: the program is a map of the workflow; every command has a description, examples and exit codes", async () => {
    const help = await runCli(["--help"], { env });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatchSnapshot("approvals --help");
    const order = ["deploy", "start", "pending", "approve", "show"].map((c) => help.stdout.indexOf(`approvals ${c}`));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+done\n\s+1\s+.*\n\s+2\s+.*\n\s+3\s+.*\n\s+130\s+/);
    for (const spec of commands) {
      const own = await runCli([spec.name, "--help"], { env });
      expect(own.code, spec.name).toBe(0);
      expect(own.stdout, spec.name).toMatch(/^Usage: approvals /);
      expect(own.stdout, spec.name).toMatch(/\nExamples:\n {2}\$ \S/);
      expect(own.stdout, spec.name).toContain("Exit codes:");
      // A description of its own above the options, not only the one-line summary.
      expect(own.stdout.split("\n")[2], spec.name).toMatch(/\S/);
    }
  });

  it("deploy with no changes says so plainly", async () => {
    const again = await run(["deploy", "--yes"]);
    expect(again.code).toBe(0);
    expect(plain(again)).toMatchSnapshot();
  });

  it("outputs", async () => {
    expect(plain(await run(["outputs"]))).toMatchSnapshot();
  });

  it("pending with nothing waiting is one plain sentence", () => {
    expect(empty.code).toBe(0);
    expect(plain(empty)).toMatchSnapshot();
  });

  it("start, pending (and --links), approve/reject/fail --wait, show", async () => {
    const started = [];
    const requests: [string, string][] = [
      ["ux-approve", "release 2.4 to production"],
      ["ux-reject", "drop the staging database"],
      ["ux-fail", "withdrawn request"],
    ];
    for (const [name, comment] of requests) {
      started.push(plain(await run(["start", "--input", "-", "--name", name], JSON.stringify({ Comment: comment }))));
    }
    expect(started).toMatchSnapshot("start");

    const pending = plain(await run(["pending"]));
    expect({ ...pending, stdout: squeeze(pending.stdout) }).toMatchSnapshot("pending");
    const links = plain(await run(["pending", "--links"]));
    expect({ ...links, stdout: squeeze(links.stdout) }).toMatchSnapshot("pending --links");

    expect(plain(await run(["show", "ux-approve"]))).toMatchSnapshot("show (waiting)");

    const approved = await run(["approve", "ux-approve", "--yes", "--wait"]);
    expect(approved.stdout).toContain("✔ Approved ux-approve → ApprovedPassState, SUCCEEDED");
    expect(plain(approved)).toMatchSnapshot("approve --wait");
    const rejected = await run(["reject", "ux-reject", "--yes", "--wait"]);
    expect(rejected.stdout).toContain("✔ Rejected ux-reject → RejectedPassState, SUCCEEDED");
    expect(plain(rejected)).toMatchSnapshot("reject --wait");
    const failed = await run(["fail", "ux-fail", "--error", "Withdrawn", "--cause", "asked to stop", "--yes", "--wait"]);
    expect(failed.stdout).toContain("✔ Failed ux-fail → FAILED in Lambda Callback (Withdrawn)");
    expect(plain(failed)).toMatchSnapshot("fail --wait");
    // --wait reported what the emulator holds.
    expect(await statusOf("ux-approve", stateMachineArn)).toBe("SUCCEEDED");
    expect(await statusOf("ux-reject", stateMachineArn)).toBe("SUCCEEDED");
    expect(await statusOf("ux-fail", stateMachineArn)).toBe("FAILED");

    expect(plain(await run(["show", "ux-approve"]))).toMatchSnapshot("show (approved)");
    expect(plain(await run(["show", "ux-reject"]))).toMatchSnapshot("show (rejected)");
    expect(plain(await run(["show", "ux-fail"]))).toMatchSnapshot("show (failed)");
    expect(plain(await run(["approve", "ux-approve", "--yes"]))).toMatchSnapshot("approve (already decided)");
    // Thirteen runs of the CLI: room for a loaded machine.
  }, 240_000);

  it("a batch reports each execution, the refused ones too", async () => {
    for (const name of ["ux-batch-1", "ux-batch-2", "ux-batch-done"]) {
      await run(["start", "--input", "-", "--name", name], '{"Comment":"batch"}');
    }
    expect((await run(["approve", "ux-batch-done", "--yes", "--wait"])).code).toBe(0);
    const batch = await run(["approve", "ux-batch-1", "ux-batch-2", "ux-batch-done", "--yes", "--wait"]);
    expect(batch.code).toBe(3);
    expect(plain(batch)).toMatchSnapshot();
    expect(await statusOf("ux-batch-1", stateMachineArn)).toBe("SUCCEEDED");
    expect(await statusOf("ux-batch-2", stateMachineArn)).toBe("SUCCEEDED");
  }, 120_000);

  it("show --json is one document with the graph, the branch and a token-free timeline", async () => {
    await run(["start", "--input", "-", "--name", "ux-json"], '{"Comment":"json"}');
    await run(["approve", "ux-json", "--yes", "--wait"]);
    const shown = await run(["show", "ux-json", "--json"]);
    expect(shown.code).toBe(0);
    const report = JSON.parse(shown.stdout);
    expect(report.branch).toBe("ApprovedPassState");
    expect(report.graph.startAt).toBe("Lambda Callback");
    const choice = report.graph.states.find((s: { name: string }) => s.name === "ManualApprovalChoiceState");
    expect(choice.transitions.map((t: { next: string; taken: boolean }) => [t.next, t.taken])).toEqual([
      ["ApprovedPassState", true],
      ["RejectedPassState", false],
    ]);
    expect(report.timeline.map((e: { type: string }) => e.type)).toContain("TaskSucceeded");
    expect(shown.stdout).not.toMatch(/"Token"|taskToken/);
  });

  it("show of an unknown execution: one error line and a hint, exit 3", async () => {
    expect(plain(await run(["show", "no-such-execution"]))).toMatchSnapshot();
  });

  it("list: every execution newest first, its outcome in words", async () => {
    // A stack of its own, so what the other cases started does not change the list.
    const own = uniqueStackName("ux");
    const runOn = (args: string[], input?: string) => runCli([...args, "--stack-name", own], { env, input });
    expect((await runOn(["deploy", "--email", email, "--yes"])).code).toBe(0);
    for (const name of ["ux-list-approve", "ux-list-reject", "ux-list-fail", "ux-list-wait"]) {
      expect((await runOn(["start", "--input", "-", "--name", name], JSON.stringify({ Comment: `about ${name}` }))).code).toBe(0);
    }
    expect((await runOn(["approve", "ux-list-approve", "--yes", "--wait"])).code).toBe(0);
    expect((await runOn(["reject", "ux-list-reject", "--yes", "--wait"])).code).toBe(0);
    expect((await runOn(["fail", "ux-list-fail", "--error", "Withdrawn", "--cause", "asked to stop", "--yes", "--wait"])).code).toBe(0);
    const listed = plain(await runOn(["list"]));
    expect({ ...listed, stdout: squeeze(scrub(listed.stdout, own)), stderr: scrub(listed.stderr, own) }).toMatchSnapshot();
    expect(plain(await runOn(["list", "--status", "nope"]))).toMatchSnapshot("bad --status");
    expect((await runOn(["destroy", "--yes"])).code).toBe(0);
  }, 180_000);

  it("destroy", async () => {
    // A stack of its own, so the other cases keep theirs whatever the order.
    // A name as long as the shared one, so the event columns keep their widths.
    const doomed = uniqueStackName("ux");
    const runOn = (args: string[]) => runCli([...args, "--stack-name", doomed], { env });
    expect((await runOn(["deploy", "--email", email, "--yes"])).code).toBe(0);
    const destroyed = await runOn(["destroy", "--yes"]);
    expect(destroyed.code).toBe(0);
    expect({ code: destroyed.code, stdout: scrub(destroyed.stdout, doomed), stderr: scrub(destroyed.stderr, doomed) }).toMatchSnapshot();
  });
});
