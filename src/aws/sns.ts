// The SNS operations this tool makes (the stack's topic: its subscriptions, and `remind`'s publish).
import type { SNSClient, Subscription } from "@aws-sdk/client-sns";
import { allOf } from "./pages.js";

export type { Subscription } from "@aws-sdk/client-sns";

const sdk = () => import("./sdk/sns.js");

/** The SNS gateway of one run, over one SDK client (the run's, or a test's fake with `send`). */
export class Sns {
  constructor(private readonly client: SNSClient) {}

  /** Every subscription of a topic, all pages. */
  async subscriptions(topicArn: string): Promise<Subscription[]> {
    const { ListSubscriptionsByTopicCommand } = await sdk();
    return allOf(
      (NextToken) => this.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken })),
      (page) => page.NextToken,
      (page) => page.Subscriptions,
    );
  }

  /** Publish one message to a topic; returns its message id. */
  async publish(topicArn: string, subject: string, message: string): Promise<string> {
    const { PublishCommand } = await sdk();
    const { MessageId } = await this.client.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
    return MessageId ?? "";
  }
}
