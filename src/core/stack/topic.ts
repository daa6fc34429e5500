import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { SNSClient, Subscription } from "@aws-sdk/client-sns";

/** The template's topic: the approval email goes through it, and its subscribers are the approvers. */
export const TOPIC_LOGICAL_ID = "SNSHumanApprovalEmailTopic";

/**
 * The ARN of the stack's SNS topic: the template's `SNSHumanApprovalEmailTopic`, else the stack's only
 * `AWS::SNS::Topic`; undefined when there is none (or several, none of them the template's).
 */
export async function stackTopicArn(cfn: CloudFormationClient, stackName: string): Promise<string | undefined> {
  const { ListStackResourcesCommand } = await import("../../aws/sdk/cloudformation.js");
  const topics: { logicalId: string; arn: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken }));
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.ResourceType === "AWS::SNS::Topic" && r.PhysicalResourceId) {
        topics.push({ logicalId: r.LogicalResourceId ?? "", arn: r.PhysicalResourceId });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return (topics.find((t) => t.logicalId === TOPIC_LOGICAL_ID) ?? (topics.length === 1 ? topics[0] : undefined))?.arn;
}

/** Every subscription of a topic, all pages. */
export async function topicSubscriptions(sns: SNSClient, topicArn: string): Promise<Subscription[]> {
  const { ListSubscriptionsByTopicCommand } = await import("../../aws/sdk/sns.js");
  const all: Subscription[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
    all.push(...(page.Subscriptions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

/**
 * Whether SNS delivers to a subscription: an unconfirmed one is listed with the SubscriptionArn
 * `PendingConfirmation` (and, while being removed, `Deleted`), not an ARN.
 */
export function isConfirmed(subscription: Subscription): boolean {
  return Boolean(subscription.SubscriptionArn?.startsWith("arn:"));
}

/** Publish one message to a topic; returns its message id. */
export async function publish(sns: SNSClient, topicArn: string, subject: string, message: string): Promise<string> {
  const { PublishCommand } = await import("../../aws/sdk/sns.js");
  const { MessageId } = await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  return MessageId ?? "";
}
