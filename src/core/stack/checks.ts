import type { CloudFormation } from "../../aws/cloudformation.js";
import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import type { Sns } from "../../aws/sns.js";
import type { Context } from "../../context.js";
import { ApprovalsError } from "../../errors.js";
import type { Scope } from "../suggest.js";
import type { Workflow } from "../workflow/definition.js";
import { expectedStatuses } from "../workflow/email.js";
import { type ApprovalStack, loadWorkflow, REQUIRED_OUTPUTS, requireApprovalStack } from "./find.js";
import { stackTopicArn } from "./topic.js";

/** One confirmation of a deployed stack. */
export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The email subscription the template creates, as SNS reports it. */
export interface SubscriptionState {
  topicArn: string | null;
  endpoint: string | null;
  /** `Confirmed`, `PendingConfirmation`, or `Missing`. */
  status: "Confirmed" | "PendingConfirmation" | "Missing";
}

/** What `outputs` and the end of `deploy` report. */
export interface StackReport {
  stackName: string;
  status: string;
  outputs: Record<string, string>;
  checks: Check[];
  subscription: SubscriptionState;
}

/** Gateways the confirmations read with. */
export interface CheckClients {
  cfn: CloudFormation;
  sfn: StepFunctions;
  sns: Sns;
}

/** `outputs`'s use case (and the end of `deploy`): read the deployed stack and run every confirmation on it. */
export async function checkDeployedStack(ctx: Context): Promise<StackReport> {
  const cfn = await ctx.cloudFormation();
  const stack = await requireApprovalStack(cfn, ctx);
  return confirmStack({ cfn, sfn: await ctx.sfn(), sns: await ctx.sns() }, stack, ctx);
}

/**
 * Confirm a deployed stack works as the template intends: both outputs, a state machine with a
 * .waitForTaskToken Task, Choice strings built from the Email parameter, links pointing at the
 * stack's API, and the email subscription's status. `scope`: the stack's name and the AWS flags given.
 */
export async function confirmStack(clients: CheckClients, stack: ApprovalStack, scope: Scope): Promise<StackReport> {
  const checks: Check[] = [];
  for (const key of REQUIRED_OUTPUTS) {
    checks.push({
      name: `output ${key}`,
      ok: Boolean(stack.outputs[key]),
      detail: stack.outputs[key] ?? "missing from the stack's outputs",
    });
  }
  const arn = stack.outputs.StateMachineHumanApprovalArn;
  let workflow: Workflow | undefined;
  if (arn) {
    try {
      workflow = await loadWorkflow(clients.sfn, arn, scope);
      checks.push({ name: "state machine", ok: true, detail: `"${workflow.callbackState}" waits for a task token` });
    } catch (error) {
      // A state machine that is gone or not an approval workflow is what this check reports; anything else ends the run.
      if (!(error instanceof ApprovalsError) || error.exitCode === 1) throw error;
      checks.push({ name: "state machine", ok: false, detail: error.message });
    }
  }
  if (workflow) {
    const email = stack.email ?? "";
    const expected = expectedStatuses(email);
    const ok = workflow.approvedStatus === expected.approved && workflow.rejectedStatus === expected.rejected;
    checks.push({
      name: "choice strings",
      ok,
      detail: ok
        ? `match Email ${email}`
        : `definition routes on "${workflow.approvedStatus}" / "${workflow.rejectedStatus}", Email is ${email || "unset"}`,
    });
    const endpoint = apiEndpointOf(workflow);
    const api = stack.outputs.ApiGatewayInvokeURL;
    if (endpoint !== undefined && api) {
      checks.push({
        name: "email links",
        ok: endpoint === api,
        detail: endpoint === api ? "point at ApiGatewayInvokeURL" : `point at ${endpoint}, not ${api}`,
      });
    }
  }
  const subscription = await readSubscription(clients, stack);
  checks.push({
    name: "email subscription",
    ok: subscription.status === "Confirmed",
    detail:
      subscription.status === "Confirmed"
        ? `${subscription.endpoint} is confirmed`
        : subscription.status === "PendingConfirmation"
          ? `${subscription.endpoint} has not confirmed yet: open the "AWS Notification - Subscription Confirmation" email and click "Confirm subscription"`
          : "no email subscription on the topic",
  });
  return { stackName: stack.stackName, status: stack.status, outputs: stack.outputs, checks, subscription };
}

/** The APIGatewayEndpoint the callback state passes to the email function, if it passes one. */
export function apiEndpointOf(workflow: Workflow): string | undefined {
  const params = workflow.states[workflow.callbackState]?.Parameters as { Payload?: { APIGatewayEndpoint?: unknown } } | undefined;
  const endpoint = params?.Payload?.APIGatewayEndpoint;
  return typeof endpoint === "string" ? endpoint : undefined;
}

async function readSubscription(clients: CheckClients, stack: ApprovalStack): Promise<SubscriptionState> {
  try {
    const topicArn = await stackTopicArn(clients.cfn, stack.stackName);
    if (!topicArn) return { topicArn: null, endpoint: null, status: "Missing" };
    const Subscriptions = await clients.sns.subscriptions(topicArn);
    const email =
      Subscriptions?.find((s) => s.Protocol === "email" && (!stack.email || s.Endpoint === stack.email)) ??
      Subscriptions?.find((s) => s.Protocol === "email");
    if (!email) return { topicArn, endpoint: null, status: "Missing" };
    const pending = !email.SubscriptionArn || email.SubscriptionArn === "PendingConfirmation";
    return { topicArn, endpoint: email.Endpoint ?? null, status: pending ? "PendingConfirmation" : "Confirmed" };
  } catch (error) {
    throw toUserError(error, "Reading the email subscription");
  }
}
