import { ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand } from "@aws-sdk/client-sfn";
import { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { describe, expect, it } from "vitest";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { historyOf, settled, statesEntered, waitForToken } from "./sfn-helpers.js";

const before = "first-ops@example.com";
const after = "second-ops@example.com";
const approvedBy = (email: string) => `Approved! Task approved by ${email}`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The payload each TaskSucceeded event of an execution carries. */
function taskOutputs(events: Awaited<ReturnType<typeof historyOf>>): unknown[] {
  return events.filter((e) => e.type === "TaskSucceeded").map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? "null"));
}

describe("changing the Email of a deployed stack", () => {
  it("routes executions started before the change on the old string and later ones on the new", async () => {
    const stackName = uniqueStackName("email-change");
    const env = cliEnv();
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
    const { sfn, cfn } = sdk();
    const sns = new SNSClient({
      endpoint: endpoint(),
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const topicArn = async () =>
      (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries?.find(
        (r) => r.ResourceType === "AWS::SNS::Topic",
      )?.PhysicalResourceId;
    const definitionFor = async (executionArn: string) =>
      (await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }))).definition ?? "";

    const created = JSON.parse((await run(["deploy", "--email", before, "--yes", "--json"])).stdout);
    const machineArn: string = created.outputs.StateMachineHumanApprovalArn;
    const topic = await topicArn();
    const old = JSON.parse((await run(["start", "--input", "-", "--name", "before-change", "--json"], '{"Comment":"old"}')).stdout);
    await waitForToken(sfn, old.executionArn);

    const updated = await run(["deploy", "--email", after, "--yes", "--json"]);
    expect(updated.stderr).not.toMatch(/^error:/m);
    expect(updated.code).toBe(0);
    const report = JSON.parse(updated.stdout);
    expect(report.status).toBe("UPDATE_COMPLETE");
    expect(report.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(report.subscription).toMatchObject({ endpoint: after, status: "Confirmed" });
    // The change set lists what the new Email modifies, as CloudFormation does.
    expect(updated.stderr).toMatch(/^Modify\s+HumanApprovalLambdaStateMachine\s+AWS::StepFunctions::StateMachine/m);
    expect(updated.stderr).toMatch(/^Modify\s+SNSHumanApprovalEmailTopic\s+AWS::SNS::Topic/m);

    // The same state machine and topic, updated in place: new definition, the subscription swapped.
    expect(report.outputs.StateMachineHumanApprovalArn).toBe(machineArn);
    const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
    expect(machine.definition).toContain(`"${approvedBy(after)}"`);
    expect(machine.definition).not.toContain(before);
    expect(await topicArn()).toBe(topic);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topic }));
    expect(Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([["email", after]]);

    // The running execution stays on the definition it started on; a new one runs on the new.
    const fresh = JSON.parse((await run(["start", "--input", "-", "--name", "after-change", "--json"], '{"Comment":"new"}')).stdout);
    await waitForToken(sfn, fresh.executionArn);
    expect(await definitionFor(old.executionArn)).toContain(`"${approvedBy(before)}"`);
    expect(await definitionFor(old.executionArn)).not.toContain(after);
    expect(await definitionFor(fresh.executionArn)).toContain(`"${approvedBy(after)}"`);
    const pending = JSON.parse((await run(["pending", "--json"])).stdout);
    expect(pending.map((e: { name: string }) => e.name).sort()).toEqual(["after-change", "before-change"]);
    // show draws the definition each execution runs on: its Choice routes on the string of its Email.
    for (const [name, email, other] of [
      ["before-change", before, after],
      ["after-change", after, before],
    ] as const) {
      const shown = await run(["show", name]);
      expect(shown.code, shown.stderr).toBe(0);
      const graph = shown.stdout.slice(shown.stdout.indexOf("Workflow"), shown.stdout.indexOf("Timeline"));
      expect(graph).toContain(email);
      expect(graph).not.toContain(other);
    }

    for (const [name, arn, email] of [
      ["before-change", old.executionArn, before],
      ["after-change", fresh.executionArn, after],
    ]) {
      const approved = await run(["approve", name, "--yes"]);
      expect(approved.stderr).not.toMatch(/^error:/m);
      expect(approved.code).toBe(0);
      const execution = await settled(sfn, arn);
      expect(execution.status).toBe("SUCCEEDED");
      expect(JSON.parse(execution.output ?? "")).toMatchObject({ Status: approvedBy(email) });
      const events = await historyOf(sfn, arn);
      expect(taskOutputs(events)).toEqual([expect.objectContaining({ Status: approvedBy(email), Via: "approvals CLI" })]);
      expect(statesEntered(events)).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"]);
    }

    for (const [name, email] of [
      ["before-change", before],
      ["after-change", after],
    ] as const) {
      const shown = await run(["show", name]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`"Status": "${approvedBy(email)}"`);
      expect(shown.stdout).toMatch(new RegExp(`TaskSucceeded\\s+Lambda Callback\\s+.*${escapeRegExp(approvedBy(email))}`));
    }
    const outputs = await run(["outputs"]);
    expect(outputs.code).toBe(0);
    expect(outputs.stdout).toMatch(new RegExp(`^✔ choice strings: match Email ${after}$`, "m"));
    expect(outputs.stdout).toMatch(new RegExp(`^✔ email subscription: ${after} is confirmed$`, "m"));
    expect(outputs.stdout).not.toContain(before);

    expect((await run(["destroy", "--yes"])).code).toBe(0);
  });
});
