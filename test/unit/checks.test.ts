import { describe, expect, it } from "vitest";
import { CloudFormation } from "../../src/aws/cloudformation.js";
import { StepFunctions } from "../../src/aws/sfn.js";
import { Sns } from "../../src/aws/sns.js";
import { type CheckClients, confirmStack } from "../../src/core/stack/checks.js";
import type { ApprovalStack } from "../../src/core/stack/find.js";
import { type Answer, API_URL, fakeClient, STATE_MACHINE_ARN, templateDefinition } from "./fixtures.js";

const TOPIC = "arn:aws:sns:us-east-1:123456789012:human-approval-SNSHumanApprovalEmailTopic-X";

/** A client answering each command by name. */
/** The default stack and no AWS flags, as a run without them has. */
const scope = { stackName: "human-approval", aws: {} };
const fake = (answers: Record<string, Answer>) => fakeClient(answers).client;

function clients(options: { definition?: string; subscriptionArn?: string; endpoint?: string } = {}): CheckClients {
  return {
    cfn: new CloudFormation(
      fake({
        ListStackResources: () => ({
          StackResourceSummaries: [
            { ResourceType: "AWS::SNS::Topic", LogicalResourceId: "SNSHumanApprovalEmailTopic", PhysicalResourceId: TOPIC },
          ],
        }),
      }) as never,
    ),
    sfn: new StepFunctions(fake({ DescribeStateMachine: () => ({ definition: options.definition ?? templateDefinition() }) }) as never),
    sns: new Sns(
      fake({
        ListSubscriptionsByTopic: () => ({
          Subscriptions: [
            {
              Protocol: "email",
              Endpoint: options.endpoint ?? "ops@example.com",
              SubscriptionArn: options.subscriptionArn ?? `${TOPIC}:1`,
            },
          ],
        }),
      }) as never,
    ),
  };
}

const stack: ApprovalStack = {
  stackName: "human-approval",
  stackId: "id",
  status: "CREATE_COMPLETE",
  email: "ops@example.com",
  outputs: { ApiGatewayInvokeURL: API_URL, StateMachineHumanApprovalArn: STATE_MACHINE_ARN },
  parameters: { Email: "ops@example.com" },
};

describe("confirmStack", () => {
  it("confirms a healthy stack", async () => {
    const report = await confirmStack(clients(), stack, scope);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ["output ApiGatewayInvokeURL", true],
      ["output StateMachineHumanApprovalArn", true],
      ["state machine", true],
      ["choice strings", true],
      ["email links", true],
      ["email subscription", true],
    ]);
    expect(report.subscription).toEqual({ topicArn: TOPIC, endpoint: "ops@example.com", status: "Confirmed" });
  });

  it("tells the user to confirm a pending subscription from their inbox", async () => {
    const report = await confirmStack(clients({ subscriptionArn: "PendingConfirmation" }), stack, scope);
    expect(report.subscription.status).toBe("PendingConfirmation");
    const check = report.checks.find((c) => c.name === "email subscription");
    expect(check?.ok).toBe(false);
    expect(check?.detail).toMatch(/ops@example\.com has not confirmed yet: open the .*email and click "Confirm subscription"/);
  });

  it("flags Choice strings that do not match the Email parameter", async () => {
    const report = await confirmStack(clients({ definition: templateDefinition("someone@else.org") }), stack, scope);
    const check = report.checks.find((c) => c.name === "choice strings");
    expect(check?.ok).toBe(false);
    expect(check?.detail).toContain("Approved! Task approved by someone@else.org");
  });

  it("flags a state machine that is not an approval workflow", async () => {
    const report = await confirmStack(clients({ definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' }), stack, scope);
    expect(report.checks.find((c) => c.name === "state machine")).toMatchObject({ ok: false });
    expect(report.checks.map((c) => c.name)).not.toContain("choice strings");
  });

  it("flags links that point elsewhere than the stack's API", async () => {
    const moved = {
      ...stack,
      outputs: { ...stack.outputs, ApiGatewayInvokeURL: "https://other.execute-api.us-east-1.amazonaws.com/states" },
    };
    const report = await confirmStack(clients(), moved, scope);
    expect(report.checks.find((c) => c.name === "email links")).toMatchObject({ ok: false });
  });

  it("reports a missing output", async () => {
    const broken = { ...stack, outputs: { StateMachineHumanApprovalArn: STATE_MACHINE_ARN } };
    const report = await confirmStack(clients(), broken, scope);
    expect(report.checks[0]).toEqual({ name: "output ApiGatewayInvokeURL", ok: false, detail: "missing from the stack's outputs" });
  });
});
