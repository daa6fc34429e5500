import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runVerdict } from "../../src/commands/verdict.js";
import type { Context } from "../../src/context.js";
import { Output } from "../../src/output/output.js";
import { API_URL, events, STATE_MACHINE_ARN, TOKEN, templateDefinition, waitingEvents } from "./fixtures.js";

/** What the fake Step Functions client was sent, by operation. */
type Sent = Array<{ operation: string; input: Record<string, unknown> }>;

/** A client answering each command by name and recording every call. */
function fake(sent: Sent, answers: Record<string, (input: Record<string, unknown>) => unknown>) {
  return {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const operation = command.constructor.name.replace(/Command$/, "");
      sent.push({ operation, input: command.input });
      const answer = answers[operation];
      if (!answer) throw new Error(`unexpected ${operation}`);
      return answer(command.input);
    },
  };
}

/**
 * A stack whose Email was changed from old@ to new@ after the execution started: the deployed
 * definition routes on new@, the execution's own definition on old@.
 */
function context(sent: Sent): { ctx: Context; stdout: PassThrough } {
  const stdout = new PassThrough();
  const out = new Output({ stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, { yes: true });
  const cfn = fake(sent, {
    DescribeStacks: () => ({
      Stacks: [
        {
          StackName: "human-approval",
          StackStatus: "UPDATE_COMPLETE",
          Parameters: [{ ParameterKey: "Email", ParameterValue: "new@example.com" }],
          Outputs: [
            { OutputKey: "ApiGatewayInvokeURL", OutputValue: API_URL },
            { OutputKey: "StateMachineHumanApprovalArn", OutputValue: STATE_MACHINE_ARN },
          ],
        },
      ],
    }),
  });
  const sfn = fake(sent, {
    DescribeStateMachine: () => ({ definition: templateDefinition("new@example.com") }),
    DescribeStateMachineForExecution: () => ({ definition: templateDefinition("old@example.com") }),
    DescribeExecution: (input) => ({ executionArn: input.executionArn, status: "RUNNING" }),
    GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
    SendTaskSuccess: () => ({}),
  });
  const ctx = {
    out,
    stackName: "human-approval",
    aws: {},
    now: () => new Date("2026-11-25T10:05:00Z"),
    sfn: async () => sfn,
    cloudFormation: async () => cfn,
    sns: async () => ({}),
    signal: new AbortController().signal,
  } as unknown as Context;
  return { ctx, stdout };
}

describe("approve and reject decide with the definition the execution runs on", () => {
  it.each([
    ["approve", "Approved! Task approved by old@example.com"],
    ["reject", "Rejected! Task rejected by old@example.com"],
  ] as const)("%s an execution started before the Email changed sends the old Choice string", async (kind, status) => {
    const sent: Sent = [];
    const { ctx } = context(sent);
    expect(await runVerdict(ctx, kind, ["ApprovalTest"], {})).toBe(0);
    const success = sent.filter((s) => s.operation === "SendTaskSuccess");
    expect(success).toEqual([{ operation: "SendTaskSuccess", input: { taskToken: TOKEN, output: JSON.stringify({ Status: status }) } }]);
    expect(sent.find((s) => s.operation === "DescribeStateMachineForExecution")?.input.executionArn).toMatch(/:execution:.*:ApprovalTest$/);
  });
});
