import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { historyOf, settled, statesEntered, waitForToken } from "./sfn-helpers.js";

const stackName = uniqueStackName("wf");
const email = "ops@example.com";

describe("the main job: deploy → start → pending → approve → show → destroy", () => {
  it("runs end to end against the emulator", async () => {
    const env = cliEnv();
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
    const { sfn, cfn } = sdk();

    const deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.stderr).not.toMatch(/^error:/m);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toContain(`Stack ${stackName}: CREATE_COMPLETE`);

    const request = join(tempHome(), "request.json");
    writeFileSync(request, JSON.stringify({ Comment: "Testing the human approval tutorial." }));
    const started = await run(["start", "--input", request, "--name", "ApprovalTest", "--json"]);
    expect(started.code).toBe(0);
    const { executionArn } = JSON.parse(started.stdout);
    const token = await waitForToken(sfn, executionArn);

    const pending = await run(["pending"]);
    expect(pending.code).toBe(0);
    expect(pending.stdout).toMatch(/^ApprovalTest\s.*Testing the human approval tutorial\.$/m);
    expect(pending.stdout).not.toContain(token);

    const approved = await run(["approve", "ApprovalTest", "--yes"]);
    expect(approved.code).toBe(0);
    const execution = await settled(sfn, executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toMatchObject({ Status: `Approved! Task approved by ${email}` });
    expect(statesEntered(await historyOf(sfn, executionArn))).toEqual([
      "Lambda Callback",
      "ManualApprovalChoiceState",
      "ApprovedPassState",
    ]);

    const shown = await run(["show", "ApprovalTest"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^ApprovalTest\s+SUCCEEDED$/m);
    expect(shown.stdout).toContain(`Approved! Task approved by ${email}`);
    expect(shown.stdout).not.toContain(token);

    const empty = await run(["pending"]);
    expect(empty.stdout).toMatch(/No executions are waiting/);

    const destroyed = await run(["destroy", "--yes"]);
    expect(destroyed.code).toBe(0);
    await expect(cfn.send(new DescribeStacksCommand({ StackName: stackName }))).rejects.toThrow(/does not exist/);
  });
});
