import { describe, expect, it } from "vitest";
import { runInProcess, stackAnswers } from "./commands/in-process.js";
import { events, TOKEN, templateDefinition, waitingEvents } from "./fixtures.js";

/**
 * `approvals <kind> ApprovalTest --yes` in-process, on a stack whose Email was changed from old@ to
 * new@ after the execution started: the deployed definition routes on new@, the execution's own on old@.
 */
function decideAfterEmailChange(kind: "approve" | "reject") {
  return runInProcess([kind, "ApprovalTest", "--yes"], {
    cloudFormation: stackAnswers("new@example.com", "UPDATE_COMPLETE"),
    sfn: {
      DescribeStateMachine: () => ({ definition: templateDefinition("new@example.com") }),
      DescribeStateMachineForExecution: () => ({ definition: templateDefinition("old@example.com") }),
      DescribeExecution: (input) => ({ executionArn: input.executionArn, status: "RUNNING" }),
      GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
      SendTaskSuccess: () => ({}),
    },
  });
}

describe("approve and reject decide with the definition the execution runs on", () => {
  it.each([
    ["approve", "Approved! Task approved by old@example.com"],
    ["reject", "Rejected! Task rejected by old@example.com"],
  ] as const)("%s an execution started before the Email changed sends the old Choice string", async (kind, status) => {
    const { code, stderr, sent } = await decideAfterEmailChange(kind);
    expect(code, stderr).toBe(0);
    const success = sent.sfn.filter((s) => s.command === "SendTaskSuccess");
    expect(success).toEqual([{ command: "SendTaskSuccess", input: { taskToken: TOKEN, output: JSON.stringify({ Status: status }) } }]);
    expect(sent.sfn.find((s) => s.command === "DescribeStateMachineForExecution")?.input.executionArn).toMatch(
      /:execution:.*:ApprovalTest$/,
    );
  });
});
