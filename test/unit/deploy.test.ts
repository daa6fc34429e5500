import type { CloudFormationClient, Stack } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import { loadTemplate } from "../../src/core/stack/template.js";
import { AbortError, ApprovalsError, UsageError } from "../../src/errors.js";
import { type Answer, deployThrough, fakeClient } from "./fixtures.js";

/** A CloudFormation client answering from `answers` and recording what it was sent. */
function fakeCfn(answers: Record<string, Answer | Answer[]>) {
  const { client, sent, names } = fakeClient(answers);
  return { cfn: client as unknown as CloudFormationClient, sent, names };
}

const notFound: Answer = () => {
  throw Object.assign(new Error("Stack with id s does not exist"), { name: "ValidationError", $metadata: {} });
};
const stackIn =
  (status: string, extra: Partial<Stack> = {}): Answer =>
  () => ({ Stacks: [{ StackName: "s", StackId: "id", StackStatus: status, ...extra }] });
const event = (status: string) => ({
  EventId: status,
  StackName: "s",
  LogicalResourceId: "s",
  ResourceType: "AWS::CloudFormation::Stack",
  ResourceStatus: status,
  Timestamp: new Date(Date.now() + 5000),
});

describe("deploy (prepare, confirm, execute)", () => {
  it("creates a stack through a change set, with CAPABILITY_IAM and the Email parameter", async () => {
    const template = await loadTemplate();
    const { cfn, sent, names } = fakeCfn({
      DescribeStacks: [notFound, stackIn("CREATE_IN_PROGRESS"), stackIn("CREATE_COMPLETE")],
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: [() => ({ Status: "CREATE_PENDING" }), () => ({ Status: "CREATE_COMPLETE", Changes: [{ Type: "Resource" }] })],
      ExecuteChangeSet: () => ({}),
      DescribeStackEvents: () => ({ StackEvents: [event("CREATE_COMPLETE"), event("CREATE_IN_PROGRESS")] }),
    });
    const confirmed: string[] = [];
    const seen: string[] = [];
    const result = await deployThrough(cfn, {
      stackName: "s",
      template,
      email: "ops@example.com",
      pollMs: 1,
      confirmChanges: async (changes, type) => {
        confirmed.push(`${type} ${changes.length}`);
      },
      onEvent: (e) => seen.push(e.ResourceStatus ?? ""),
    });
    expect(result).toMatchObject({ outcome: "done", type: "CREATE", watch: { status: "CREATE_COMPLETE", kind: "succeeded" } });
    expect(confirmed).toEqual(["CREATE 1"]);
    expect(seen).toEqual(["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]);
    const create = sent.find((s) => s.command === "CreateChangeSet")?.input;
    expect(create).toMatchObject({
      StackName: "s",
      ChangeSetType: "CREATE",
      TemplateBody: template.body,
      Capabilities: ["CAPABILITY_IAM"],
      Parameters: [{ ParameterKey: "Email", ParameterValue: "ops@example.com" }],
    });
    expect(names()).toContain("ExecuteChangeSet");
  });

  it("treats AWS's failed empty change set as a success with no changes, and deletes it", async () => {
    const template = await loadTemplate();
    const { cfn, sent, names } = fakeCfn({
      DescribeStacks: stackIn("UPDATE_COMPLETE", { Parameters: [{ ParameterKey: "Email", ParameterValue: "ops@example.com" }] }),
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: () => ({
        Status: "FAILED",
        StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
      }),
      DeleteChangeSet: () => ({}),
    });
    const result = await deployThrough(cfn, {
      stackName: "s",
      template,
      pollMs: 1,
      confirmChanges: async () => {
        throw new Error("nothing to confirm");
      },
    });
    expect(result).toEqual({ outcome: "no-changes", status: "UPDATE_COMPLETE" });
    // The deployed Email is kept.
    expect(sent.find((s) => s.command === "CreateChangeSet")?.input).toMatchObject({
      ChangeSetType: "UPDATE",
      Parameters: [{ ParameterKey: "Email", UsePreviousValue: true }],
    });
    expect(names()).toEqual(["DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "DeleteChangeSet"]);
  });

  it("reports a failed change set as a failure, whatever it lists", async () => {
    const { cfn, names } = fakeCfn({
      DescribeStacks: stackIn("UPDATE_COMPLETE"),
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: () => ({ Status: "FAILED", StatusReason: "Template format error: Unresolved resource dependencies [X]" }),
      DeleteChangeSet: () => ({}),
    });
    const deploy = deployThrough(cfn, { stackName: "s", template: await loadTemplate(), pollMs: 1, confirmChanges: async () => {} });
    await expect(deploy).rejects.toThrow(
      "CloudFormation could not create the change set: Template format error: Unresolved resource dependencies [X].",
    );
    expect(names()).not.toContain("ExecuteChangeSet");
  });

  it("executes an update that lists no resource change: a new Email changes the stack's parameters", async () => {
    const { cfn, sent, names } = fakeCfn({
      DescribeStacks: [stackIn("UPDATE_COMPLETE"), stackIn("UPDATE_COMPLETE")],
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: () => ({ Status: "CREATE_COMPLETE", Changes: [] }),
      ExecuteChangeSet: () => ({}),
      DescribeStackEvents: () => ({ StackEvents: [] }),
    });
    const result = await deployThrough(cfn, {
      stackName: "s",
      template: await loadTemplate(),
      email: "new@example.com",
      pollMs: 1,
      confirmChanges: async () => {},
    });
    expect(result).toMatchObject({ outcome: "done", type: "UPDATE" });
    expect(sent.find((s) => s.command === "CreateChangeSet")?.input.Parameters).toEqual([
      { ParameterKey: "Email", ParameterValue: "new@example.com" },
    ]);
    expect(names()).toContain("ExecuteChangeSet");
  });

  it('treats CloudFormation\'s "No updates are to be performed" as no changes', async () => {
    const { cfn, names } = fakeCfn({
      DescribeStacks: stackIn("CREATE_COMPLETE"),
      CreateChangeSet: () => {
        throw Object.assign(new Error("No updates are to be performed."), { name: "ValidationError", $metadata: {} });
      },
    });
    const result = await deployThrough(cfn, { stackName: "s", template: await loadTemplate(), confirmChanges: async () => {} });
    expect(result).toEqual({ outcome: "no-changes", status: "CREATE_COMPLETE" });
    expect(names()).toEqual(["DescribeStacks", "CreateChangeSet"]);
  });

  it("waits for a deletion in progress to finish, then creates the stack afresh", async () => {
    const { cfn, sent } = fakeCfn({
      // By name the stack is found while it is being deleted and not after; by id it stays visible.
      DescribeStacks: (input) =>
        input.StackName === "arn:stack/s/1"
          ? { Stacks: [{ StackName: "s", StackId: "arn:stack/s/1", StackStatus: "DELETE_COMPLETE" }] }
          : sent.filter((s) => s.command === "DescribeStacks").length === 1
            ? { Stacks: [{ StackName: "s", StackId: "arn:stack/s/1", StackStatus: "DELETE_IN_PROGRESS" }] }
            : notFound(input),
      DescribeStackEvents: (input) => {
        if (input.StackName !== "arn:stack/s/1") notFound(input);
        return { StackEvents: [] };
      },
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: () => ({ Status: "CREATE_COMPLETE", Changes: [{ Type: "Resource" }] }),
      DeleteChangeSet: () => ({}),
      DeleteStack: () => ({}),
    });
    const resumed: string[] = [];
    const deploy = deployThrough(cfn, {
      stackName: "s",
      template: await loadTemplate(),
      email: "ops@example.com",
      pollMs: 1,
      onResume: (status) => resumed.push(status),
      confirmChanges: async () => {
        throw new AbortError();
      },
    });
    await expect(deploy).rejects.toBeInstanceOf(AbortError);
    expect(resumed).toEqual(["DELETE_IN_PROGRESS"]);
    expect(sent.find((s) => s.command === "CreateChangeSet")?.input.ChangeSetType).toBe("CREATE");
  });

  it("refuses a first deploy without --email before creating anything", async () => {
    const { cfn, names } = fakeCfn({ DescribeStacks: notFound });
    await expect(deployThrough(cfn, { stackName: "s", template: await loadTemplate(), confirmChanges: async () => {} })).rejects.toThrow(
      UsageError,
    );
    expect(names()).toEqual(["DescribeStacks"]);
  });

  it("refuses a rejected email before sending anything", async () => {
    const { cfn, names } = fakeCfn({});
    const request = { stackName: "s", template: await loadTemplate(), email: "nope", confirmChanges: async () => {} };
    await expect(deployThrough(cfn, request)).rejects.toThrow(/does not match the template's AllowedPattern/);
    expect(names()).toEqual([]);
  });

  it("explains a stack left in ROLLBACK_COMPLETE, and what to do", async () => {
    const { cfn, names } = fakeCfn({ DescribeStacks: stackIn("ROLLBACK_COMPLETE") });
    const error = await deployThrough(cfn, {
      stackName: "s",
      template: await loadTemplate(),
      email: "ops@example.com",
      confirmChanges: async () => {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApprovalsError);
    expect((error as ApprovalsError).message).toMatch(/ROLLBACK_COMPLETE: its creation failed/);
    expect((error as ApprovalsError).hint).toMatch(/approvals destroy --stack-name s/);
    expect(names()).toEqual(["DescribeStacks"]);
  });

  it("leaves nothing behind when the change set is declined", async () => {
    const { cfn, names } = fakeCfn({
      DescribeStacks: notFound,
      CreateChangeSet: () => ({ Id: "cs" }),
      DescribeChangeSet: () => ({ Status: "CREATE_COMPLETE", Changes: [{ Type: "Resource" }] }),
      DeleteChangeSet: () => ({}),
      DeleteStack: () => ({}),
    });
    const declined = deployThrough(cfn, {
      stackName: "s",
      template: await loadTemplate(),
      email: "ops@example.com",
      pollMs: 1,
      confirmChanges: async () => {
        throw new AbortError();
      },
    });
    await expect(declined).rejects.toBeInstanceOf(AbortError);
    expect(names()).toEqual(["DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "DeleteChangeSet", "DeleteStack"]);
  });
});
