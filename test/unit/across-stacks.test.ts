import { describe, expect, it } from "vitest";
import type { DecisionOutcome } from "../../src/core/executions/decide-batch.js";
import { batchExitCode } from "../../src/core/executions/decisions.js";
import { groupByStack, parseNamedExecution } from "../../src/core/executions/targets.js";
import { recogniseStack, WORKFLOW_TAG, withWorkflowTag } from "../../src/core/stack/discover.js";
import { UsageError } from "../../src/errors.js";
import { batchSummary } from "../../src/output/batch-summary.js";

const SM = "arn:aws:states:us-east-1:123456789012:stateMachine:HumanApproval-1";
const outputs = [
  { OutputKey: "ApiGatewayInvokeURL", OutputValue: "https://x.execute-api.us-east-1.amazonaws.com/states" },
  { OutputKey: "StateMachineHumanApprovalArn", OutputValue: SM },
];

describe("stack/execution names", () => {
  it("reads a plain name, an ARN and stack/execution", () => {
    expect(parseNamedExecution("build-17", "main")).toEqual({ stackName: "main", name: "build-17", qualified: false });
    expect(parseNamedExecution(`${SM}:x`, "main")).toMatchObject({ stackName: "main", qualified: false });
    expect(parseNamedExecution("billing/build-17", "main")).toEqual({ stackName: "billing", name: "build-17", qualified: true });
  });

  it("refuses a bad stack or execution name locally", () => {
    expect(() => parseNamedExecution("9lives/x", "main")).toThrow(UsageError);
    expect(() => parseNamedExecution("/x", "main")).toThrow(/not a valid CloudFormation stack name/);
    expect(() => parseNamedExecution("a/b/c", "main")).toThrow(/contains "\/"/);
    expect(() => parseNamedExecution("a/", "main")).toThrow(/1 to 80 characters/);
  });

  it("groups by stack in the order first named", () => {
    const named = ["b/1", "a/2", "b/3"].map((n) => parseNamedExecution(n, "main"));
    expect([...groupByStack(named)].map(([stack, group]) => [stack, group.map((n) => n.name)])).toEqual([
      ["b", ["1", "3"]],
      ["a", ["2"]],
    ]);
  });
});

describe("recognising human-approval stacks", () => {
  it("by the tag first, by the outputs second", () => {
    const tagged = recogniseStack({
      StackName: "a",
      StackStatus: "UPDATE_COMPLETE",
      Outputs: outputs,
      Tags: [WORKFLOW_TAG],
      CreationTime: new Date(),
    });
    expect(tagged).toEqual({ stackName: "a", status: "UPDATE_COMPLETE", by: "tag" });
    const untagged = recogniseStack({ StackName: "b", StackStatus: "CREATE_COMPLETE", Outputs: outputs, CreationTime: new Date() });
    expect(untagged?.by).toBe("outputs");
  });

  it("passes over stacks without both outputs, deleted ones, and look-alikes whose output is no state machine", () => {
    const base = { StackName: "c", StackStatus: "CREATE_COMPLETE" as const, CreationTime: new Date() };
    expect(recogniseStack({ ...base, Outputs: outputs.slice(0, 1), Tags: [WORKFLOW_TAG] })).toBeUndefined();
    expect(recogniseStack({ ...base, StackStatus: "DELETE_COMPLETE", Outputs: outputs })).toBeUndefined();
    const fake = [outputs[0] as (typeof outputs)[0], { OutputKey: "StateMachineHumanApprovalArn", OutputValue: "not-an-arn" }];
    expect(recogniseStack({ ...base, Outputs: fake })).toBeUndefined();
  });

  it("an update keeps the stack's other tags", () => {
    expect(
      withWorkflowTag([
        { Key: "team", Value: "ops" },
        { Key: WORKFLOW_TAG.Key, Value: "old" },
      ]),
    ).toEqual([{ Key: "team", Value: "ops" }, WORKFLOW_TAG]);
    expect(withWorkflowTag(undefined)).toEqual([WORKFLOW_TAG]);
  });
});

describe("a batch's summary line and exit code", () => {
  const outcome = (o: Partial<DecisionOutcome>): DecisionOutcome => ({
    name: "x",
    executionArn: "arn",
    decision: "approve",
    sent: true,
    exitCode: 0,
    ...o,
  });
  const approved = outcome({});
  const notWaiting = outcome({ sent: false, exitCode: 3, error: "Execution x is not waiting: it was already decided." });
  const notFound = outcome({ sent: false, exitCode: 3, error: "Execution y does not exist." });
  const awsError = outcome({ sent: false, exitCode: 1, error: "Sending the decision failed: ThrottlingException" });
  const ranOut = outcome({ exitCode: 1, result: { finished: false } as DecisionOutcome["result"] });

  it("says nothing when all went well, or for one execution", () => {
    expect(batchSummary([approved, approved])).toBeUndefined();
    expect(batchSummary([notWaiting])).toBeUndefined();
    expect(batchExitCode([approved, approved])).toBe(0);
  });

  it("counts each kind of outcome", () => {
    expect(batchSummary([approved, notWaiting, approved])).toBe("2 approved, 1 not waiting");
    expect(batchSummary([approved, notFound, awsError, ranOut])).toBe("1 approved, 1 not found, 1 failed at AWS, 1 still running");
    expect(batchSummary([notWaiting, outcome({ decision: "fail" })])).toBe("1 failed, 1 not waiting");
  });

  it("exits 1 when any failed at AWS or its wait ran out, else 3 when some were not waiting", () => {
    expect(batchExitCode([approved, notWaiting])).toBe(3);
    expect(batchExitCode([notWaiting, awsError])).toBe(1);
    expect(batchExitCode([approved, ranOut])).toBe(1);
  });
});
