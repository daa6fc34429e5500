import type { CloudFormation } from "../../aws/cloudformation.js";
import type { Subscription } from "../../aws/sns.js";

/** The template's topic: the approval email goes through it, and its subscribers are the approvers. */
export const TOPIC_LOGICAL_ID = "SNSHumanApprovalEmailTopic";

/**
 * The ARN of the stack's SNS topic: the template's `SNSHumanApprovalEmailTopic`, else the stack's only
 * `AWS::SNS::Topic`; undefined when there is none (or several, none of them the template's).
 */
export async function stackTopicArn(cfn: CloudFormation, stackName: string): Promise<string | undefined> {
  const topics: { logicalId: string; arn: string }[] = [];
  for (const r of await cfn.stackResources(stackName)) {
    if (r.ResourceType === "AWS::SNS::Topic" && r.PhysicalResourceId) {
      topics.push({ logicalId: r.LogicalResourceId ?? "", arn: r.PhysicalResourceId });
    }
  }
  return (topics.find((t) => t.logicalId === TOPIC_LOGICAL_ID) ?? (topics.length === 1 ? topics[0] : undefined))?.arn;
}

/**
 * Whether SNS delivers to a subscription: an unconfirmed one is listed with the SubscriptionArn
 * `PendingConfirmation` (and, while being removed, `Deleted`), not an ARN.
 */
export function isConfirmed(subscription: Subscription): boolean {
  return Boolean(subscription.SubscriptionArn?.startsWith("arn:"));
}
