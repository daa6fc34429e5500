// `pending --watch --all-stacks` looks for stacks again while it runs: a stack deployed after the
// watch started joins the view, its waiting executions printed as arrivals. A file of its own: the
// search comes once a minute, and this test waits for it beside the others.
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { watchInPipe } from "../support/watch.js";
import { waitForToken } from "./sfn-helpers.js";

const { sfn } = sdk();

describe("approvals pending --watch --all-stacks in a pipe", () => {
  it("takes in a stack deployed after the watch started: its waiting execution arrives as stack/name", async () => {
    const env = cliEnv();
    const late = uniqueStackName("watch-late");
    const { watcher, seen, rounds } = watchInPipe(["--all-stacks", "--debug"], { env, timeoutMs: 300_000 });
    const calls = (name: string) => seen.stderr.match(new RegExp(`^\\[debug\\] ${name} \\d{3}`, "gm"))?.length ?? 0;
    try {
      // The first search is over before the stack exists (the shared emulator may hold no other stack,
      // so its first round may make no call at all).
      await eventually(() => calls("CloudFormation.DescribeStacks") > 0, { deadline: 60_000, what: "the watch's first search" });
      const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", late], { env });
      expect(deployed.code, deployed.stderr).toBe(0);
      const stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
      const input = JSON.stringify({ Comment: "deployed while watched" });
      const { executionArn = "" } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "late-one", input }));
      const token = await waitForToken(sfn, executionArn);
      const line = new RegExp(`^\\+ ${late}/late-one {2}deployed while watched$`, "m");
      // The next search (a minute after the first), then its round.
      await eventually(() => line.test(seen.stdout), { deadline: 60_000 + rounds(), what: `${line} in:\n${seen.stdout}` });
      watcher.child.kill("SIGINT");
      const result = await watcher.done;
      expect(result.code).toBe(0);
      expect(result.stdout.match(new RegExp(`${late}/late-one`, "g"))).toHaveLength(1);
      expect(result.stdout).not.toContain(token);
      expect(calls("CloudFormation.DescribeStacks")).toBeGreaterThanOrEqual(2);
    } finally {
      watcher.child.kill("SIGINT");
      await runCli(["destroy", "--yes", "--stack-name", late], { env });
    }
  }, 300_000);
});
