// A deploy when the stack is still busy with an earlier operation (a deploy interrupted with
// Ctrl-C, or started elsewhere): it waits for that operation first, then goes on. moto finishes
// every operation at once, so this runs against a scripted CloudFormation client.
import type { CloudFormationClient, StackEvent } from "@aws-sdk/client-cloudformation";
import { describe, expect, it } from "vitest";
import type { LoadedTemplate } from "../../src/core/stack/template.js";
import { deployThrough } from "./fixtures.js";

const template: LoadedTemplate = {
  path: "human-approval.yaml",
  body: "Resources: {}",
  parameters: ["Email"],
  emailPattern: undefined,
  emailConstraint: undefined,
};

/** A client answering each DescribeStacks with the next status of `statuses` (the last one repeats). */
function scriptedCloudFormation(statuses: string[]) {
  const sent: string[] = [];
  let describe = 0;
  const client = {
    async send(command: { constructor: { name: string }; input: unknown }) {
      const name = command.constructor.name.replace(/Command$/, "");
      sent.push(name);
      switch (name) {
        case "DescribeStacks": {
          const status = statuses[Math.min(describe++, statuses.length - 1)];
          return {
            Stacks: [
              {
                StackName: "human-approval",
                StackStatus: status,
                Parameters: [{ ParameterKey: "Email", ParameterValue: "ops@example.com" }],
              },
            ],
          };
        }
        case "DescribeStackEvents": {
          const event: StackEvent = {
            StackId: "id",
            StackName: "human-approval",
            EventId: `e${describe}`,
            LogicalResourceId: "human-approval",
            ResourceStatus: statuses[Math.min(describe, statuses.length - 1)] as StackEvent["ResourceStatus"],
            Timestamp: new Date(Date.now() + 1000),
          };
          return { StackEvents: [event] };
        }
        case "CreateChangeSet":
          return { Id: "cs" };
        case "DescribeChangeSet":
          // How AWS answers an update that changes nothing.
          return {
            Status: "FAILED",
            StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
          };
        default:
          return {};
      }
    },
  };
  return { cfn: client as unknown as CloudFormationClient, sent };
}

const noPrompt = async () => {};

describe("deploy on a stack still in progress", () => {
  it("waits for the running update to finish, then creates its change set", async () => {
    const { cfn, sent } = scriptedCloudFormation(["UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]);
    const resumed: string[] = [];
    const events: string[] = [];
    const result = await deployThrough(cfn, {
      stackName: "human-approval",
      template,
      pollMs: 1,
      confirmChanges: noPrompt,
      onResume: (status) => resumed.push(status),
      onEvent: (event) => events.push(event.ResourceStatus ?? ""),
    });

    expect(resumed).toEqual(["UPDATE_IN_PROGRESS"]);
    expect(events.length).toBeGreaterThan(0);
    // Nothing is sent to change the stack before the earlier operation has ended.
    const firstChange = sent.indexOf("CreateChangeSet");
    expect(firstChange).toBeGreaterThan(sent.lastIndexOf("DescribeStackEvents"));
    expect(sent.slice(0, firstChange).every((op) => op.startsWith("Describe"))).toBe(true);
    expect(result).toEqual({ outcome: "no-changes", status: "UPDATE_COMPLETE" });
  });

  it("after a create that rolled back while it waited, explains ROLLBACK_COMPLETE and sends nothing", async () => {
    const { cfn, sent } = scriptedCloudFormation(["ROLLBACK_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]);
    await expect(
      deployThrough(cfn, { stackName: "human-approval", template, email: "ops@example.com", pollMs: 1, confirmChanges: noPrompt }),
    ).rejects.toThrow(/Stack human-approval is in ROLLBACK_COMPLETE: its creation failed/);
    expect(sent.filter((op) => !op.startsWith("Describe"))).toEqual([]);
  });

  it("stops waiting on abort (Ctrl-C) without sending anything", async () => {
    const { cfn, sent } = scriptedCloudFormation(["UPDATE_IN_PROGRESS"]);
    const controller = new AbortController();
    const deploying = deployThrough(cfn, {
      stackName: "human-approval",
      template,
      pollMs: 5,
      confirmChanges: noPrompt,
      signal: controller.signal,
      onEvent: () => controller.abort(new Error("Interrupted.")),
    });
    // The wait stops; the message says the operation goes on at AWS.
    await expect(deploying).rejects.toThrow(/Interrupted: stopped watching stack human-approval/);
    expect(sent.filter((op) => !op.startsWith("Describe"))).toEqual([]);
  });
});
