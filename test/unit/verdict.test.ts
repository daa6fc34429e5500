import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Sts } from "../../src/aws/sts.js";
import { type CommandContext, commandContext } from "../../src/commands/context.js";
import { runVerdict } from "../../src/commands/verdict.js";
import { Output } from "../../src/output/output.js";
import {
  API_URL,
  CALLER_ARN,
  events,
  fakeClient,
  type Sent,
  STATE_MACHINE_ARN,
  TOKEN,
  templateDefinition,
  testContext,
  waitingEvents,
} from "./fixtures.js";

/**
 * A stack whose Email was changed from old@ to new@ after the execution started: the deployed
 * definition routes on new@, the execution's own definition on old@.
 */
function context(): { ctx: CommandContext; sent: Sent[] } {
  const out = new Output({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() }, { yes: true });
  const cfn = fakeClient({
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
  const sfn = fakeClient({
    DescribeStateMachine: () => ({ definition: templateDefinition("new@example.com") }),
    DescribeStateMachineForExecution: () => ({ definition: templateDefinition("old@example.com") }),
    DescribeExecution: (input) => ({ executionArn: input.executionArn, status: "RUNNING" }),
    GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
    SendTaskSuccess: () => ({}),
  });
  const ctx = commandContext(testContext({ sfn: sfn.client, cloudFormation: cfn.client }), out);
  return { ctx, sent: sfn.sent };
}

describe("approve and reject decide with the definition the execution runs on", () => {
  it.each([
    ["approve", "Approved! Task approved by old@example.com"],
    ["reject", "Rejected! Task rejected by old@example.com"],
  ] as const)("%s an execution started before the Email changed sends the old Choice string", async (kind, status) => {
    const { ctx, sent } = context();
    expect(await runVerdict(ctx, kind, ["ApprovalTest"], { exactPayload: true })).toBe(0);
    const success = sent.filter((s) => s.command === "SendTaskSuccess");
    expect(success).toEqual([{ command: "SendTaskSuccess", input: { taskToken: TOKEN, output: JSON.stringify({ Status: status }) } }]);
    expect(sent.find((s) => s.command === "DescribeStateMachineForExecution")?.input.executionArn).toMatch(/:execution:.*:ApprovalTest$/);
  });

  it.each([
    ["approve", "Approved! Task approved by old@example.com"],
    ["reject", "Rejected! Task rejected by old@example.com"],
  ] as const)("%s records who decided beside that Status, the Status first and unchanged", async (kind, status) => {
    const { ctx, sent } = context();
    expect(await runVerdict(ctx, kind, ["ApprovalTest"], { reason: " looks right " })).toBe(0);
    const output = String(sent.find((s) => s.command === "SendTaskSuccess")?.input.output);
    expect(output.startsWith(JSON.stringify({ Status: status }).slice(0, -1))).toBe(true);
    expect(JSON.parse(output)).toEqual({
      Status: status,
      DecidedBy: CALLER_ARN,
      Via: "approvals CLI",
      Reason: "looks right",
      DecisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it("refuses to send anything when STS cannot say who decides", async () => {
    const { ctx, sent } = context();
    const sts = fakeClient({
      GetCallerIdentity: () => {
        throw Object.assign(new Error("no"), { name: "ExpiredToken", $metadata: { httpStatusCode: 403 } });
      },
    });
    const refused = runVerdict({ ...ctx, sts: async () => new Sts(sts.client as never) }, "approve", ["ApprovalTest"], {});
    await expect(refused).rejects.toThrow(/GetCallerIdentity.*nothing was sent/);
    expect(sent.map((s) => s.command)).not.toContain("SendTaskSuccess");
  });
});
