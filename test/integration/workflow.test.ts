import { DescribeExecutionCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";

const stack = uniqueStackName("wf");
const email = "ops@example.com";
let env: Record<string, string | undefined>;
const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

describe("deploy → start → pending → approve → show", () => {
  beforeAll(async () => {
    env = cliEnv();
    const deployed = await run(["deploy", "--email", email, "--yes", "--json"]);
    expect(deployed.stderr).not.toMatch(/error/);
    expect(deployed.code).toBe(0);
  });

  it("approves a waiting execution with the email link's payload", async () => {
    const started = await run(["start", "--input", "-", "--name", "approve-me", "--json"], '{"Comment":"please approve"}');
    expect(started.code).toBe(0);
    const { executionArn } = JSON.parse(started.stdout);

    const pending = await run(["pending", "--json"]);
    expect(pending.code).toBe(0);
    expect(JSON.parse(pending.stdout).map((p: { name: string }) => p.name)).toContain("approve-me");

    const approved = await run(["approve", "approve-me", "--yes"]);
    expect(approved.code).toBe(0);

    const { sfn } = sdk();
    let status = "RUNNING";
    for (let i = 0; i < 50 && status === "RUNNING"; i++) {
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? "";
      if (status === "RUNNING") await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("SUCCEEDED");
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = history.events?.filter((e) => e.type === "PassStateEntered").map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(["ApprovedPassState"]);
  });
});
