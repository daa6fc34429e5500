// deploy and destroy without a terminal, in-process with fake clients: what they say before asking.
import { describe, expect, it } from "vitest";
import { events, templateDefinition, waitingEvents } from "../fixtures.js";
import { runInProcess, STACK_ANSWERS } from "./in-process.js";

const noStack = () => {
  throw Object.assign(new Error("Stack with id human-approval does not exist"), { name: "ValidationError", $metadata: {} });
};

describe("deploy and destroy without a terminal", () => {
  it("deploy on a new stack without --email names --email first, not --yes, and only reads", async () => {
    const result = await runInProcess(["deploy"], { cloudFormation: { DescribeStacks: noStack } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: Stack human-approval does not exist yet: --email is required to create it.\nhint: Example: approvals deploy --email ops@example.com\n",
    );
    expect(result.sent.cloudFormation.map((s) => s.command)).toEqual(["DescribeStacks"]);
  });

  it("destroy --yes warns how many executions still wait and what deleting does to them", async () => {
    const result = await runInProcess(["destroy", "--yes"], {
      cloudFormation: {
        ...STACK_ANSWERS,
        DeleteStack: () => ({}),
        DescribeStackEvents: () => ({
          StackEvents: [
            {
              EventId: "e",
              StackName: "human-approval",
              LogicalResourceId: "human-approval",
              ResourceType: "AWS::CloudFormation::Stack",
              ResourceStatus: "DELETE_COMPLETE",
              Timestamp: new Date(Date.now() + 60_000),
            },
          ],
        }),
      },
      sfn: {
        DescribeStateMachine: () => ({ definition: templateDefinition() }),
        ListExecutions: () => ({
          executions: [
            { executionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:a", name: "a", status: "RUNNING", startDate: new Date() },
          ],
        }),
        GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
      },
    });
    expect(result.stderr).toContain(
      "warning: 1 execution is still waiting for a decision. Deleting the stack does not end it: it keeps waiting until its timeout",
    );
    expect(result.stderr).toContain("and the Approve and Reject links in its email stop working.");
  });
});
