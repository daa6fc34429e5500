import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeStateMachineCommand, ListExecutionsCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { changeSetsOf, cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";

const email = "ops@example.com";
const { cfn, sfn } = sdk();

/** The stack as the emulator has it, or undefined once it is gone. */
async function describeStack(stackName: string) {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return stack?.StackStatus === "DELETE_COMPLETE" ? undefined : stack;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}

describe("deploy, outputs and destroy", () => {
  const stackName = uniqueStackName("deploy");
  let env: Record<string, string | undefined>;
  const run = (args: string[]) => runCli([...args, "--stack-name", stackName], { env });

  beforeAll(() => {
    env = cliEnv();
  });

  it("refuses a first deploy without --email, creating nothing", async () => {
    const result = await run(["deploy", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^error: .*--email is required/m);
    expect(result.stderr).toMatch(/^hint: .*--email/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(await describeStack(stackName)).toBeUndefined();
  });

  it("refuses an email the AllowedPattern rejects, creating nothing", async () => {
    const result = await run(["deploy", "--email", "not-an-email", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --email "not-an-email" does not match the template's AllowedPattern/m);
    expect(await describeStack(stackName)).toBeUndefined();
  });

  it("creates the stack and confirms its outputs (--json)", async () => {
    const result = await run(["deploy", "--email", email, "--yes", "--json"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    // Progress goes to stderr: the change set and each stack event (the emulator has stack-level ones only).
    expect(result.stderr).toContain("ExecutionApi");
    expect(result.stderr).toMatch(/CREATE_COMPLETE.*AWS::CloudFormation::Stack|AWS::CloudFormation::Stack.*CREATE_COMPLETE/);
    expect(Object.keys(report).sort()).toEqual(["checks", "outputs", "stackName", "status", "subscription"]);
    expect(report.stackName).toBe(stackName);
    expect(report.status).toBe("CREATE_COMPLETE");
    expect(report.outputs.ApiGatewayInvokeURL).toMatch(/^https:\/\/\w+\.execute-api\.us-east-1\.amazonaws\.com\/states$/);
    expect(report.outputs.StateMachineHumanApprovalArn).toMatch(/^arn:aws:states:us-east-1:\d+:stateMachine:/);
    for (const check of report.checks) {
      expect(check).toEqual({ name: expect.any(String), ok: true, detail: expect.any(String) });
    }
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual([
      "output ApiGatewayInvokeURL",
      "output StateMachineHumanApprovalArn",
      "state machine",
      "choice strings",
      "email links",
      "email subscription",
    ]);
    // The emulator confirms email subscriptions at once.
    expect(report.subscription).toEqual({ topicArn: expect.stringMatching(/^arn:aws:sns:/), endpoint: email, status: "Confirmed" });

    // What reached the emulator: the stack with its Email parameter and outputs, and a state machine.
    const stack = await describeStack(stackName);
    expect(stack?.StackStatus).toBe("CREATE_COMPLETE");
    expect(stack?.Parameters).toEqual([{ ParameterKey: "Email", ParameterValue: email }]);
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    expect(outputs).toEqual(report.outputs);
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: outputs.StateMachineHumanApprovalArn }));
    expect(machine.definition).toContain(`"Approved! Task approved by ${email}"`);
    expect(machine.definition).toContain(".waitForTaskToken");
  });

  it("says plainly that an update with no changes has nothing to do", async () => {
    const before = await describeStack(stackName);
    const changeSets = await changeSetsOf(cfn, stackName);
    const result = await run(["deploy", "--yes"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`No changes: stack ${stackName} is already up to date.`);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.stdout).toContain(`Stack ${stackName}: CREATE_COMPLETE`);
    expect(result.stdout).toMatch(/^✔ email subscription: ops@example\.com is confirmed$/m);
    // Nothing changed at the emulator: same stack, same status, the Email kept, no change set left behind.
    const after = await describeStack(stackName);
    expect(after?.StackId).toBe(before?.StackId);
    expect(after?.StackStatus).toBe("CREATE_COMPLETE");
    expect(after?.Parameters).toEqual([{ ParameterKey: "Email", ParameterValue: email }]);
    expect(await changeSetsOf(cfn, stackName)).toHaveLength(changeSets.length);
  });

  it("prints the same report with --json on a no-change update, and only JSON on stdout", async () => {
    const result = await run(["deploy", "--email", email, "--yes", "--json"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("No changes");
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe("CREATE_COMPLETE");
    expect(Object.keys(report).sort()).toEqual(["checks", "outputs", "stackName", "status", "subscription"]);
  });

  it("re-runs the confirmations with outputs, as text and as JSON", async () => {
    const text = await run(["outputs"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ApiGatewayInvokeURL\s+https:\/\//m);
    expect(text.stdout).toMatch(/^StateMachineHumanApprovalArn\s+arn:aws:states:/m);
    expect(text.stdout).toMatch(/^✔ state machine: "Lambda Callback" waits for a task token$/m);
    expect(text.stdout).toMatch(/^✔ choice strings: match Email ops@example\.com$/m);
    expect(text.stdout).not.toMatch(/✖/);

    const json = await run(["outputs", "--json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(Object.keys(report).sort()).toEqual(["checks", "outputs", "stackName", "status", "subscription"]);
    expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    const stack = await describeStack(stackName);
    expect(report.outputs).toEqual(Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue])));
  });

  it("updates the Email parameter: the change set modifies what uses it, every check passes", async () => {
    const result = await run(["deploy", "--email", "new-ops@example.com", "--yes", "--json"]);
    expect(result.stderr).not.toContain("No changes");
    const report = JSON.parse(result.stdout);
    expect(report.status).toBe("UPDATE_COMPLETE");
    const stack = await describeStack(stackName);
    expect(stack?.StackStatus).toBe("UPDATE_COMPLETE");
    expect(stack?.Parameters).toEqual([{ ParameterKey: "Email", ParameterValue: "new-ops@example.com" }]);
    // The definition and the subscription follow the new Email (test/integration/email-change.test.ts
    // follows executions across the change).
    expect(result.code).toBe(0);
    expect(report.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(report.subscription.endpoint).toBe("new-ops@example.com");
  });

  it("refuses to destroy without --yes when there is no terminal, deleting nothing", async () => {
    const result = await run(["destroy"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hint: Pass --yes/m);
    expect((await describeStack(stackName))?.StackStatus).toBe("UPDATE_COMPLETE");
  });

  it("destroys the stack and its state machine", async () => {
    const arn = (await describeStack(stackName))?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue;
    const result = await run(["destroy", "--yes"]);
    expect(result.stderr).not.toMatch(/^error:/m);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Deleted stack ${stackName}.`);
    expect(await describeStack(stackName)).toBeUndefined();
    await expect(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }))).rejects.toThrow();

    const again = await run(["destroy", "--yes"]);
    expect(again.code).toBe(3);
    expect(again.stderr).toMatch(/^error: Stack .* does not exist/m);

    const outputs = await run(["outputs"]);
    expect(outputs.code).toBe(3);
  });
});
