// An SQS queue subscribed to an SNS topic (raw message delivery off, so each message arrives in SNS's
// envelope with its Subject): what the CLI published, read back exactly.
import { PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { endpoint } from "./cli.js";
import { eventually } from "./eventually.js";

/** SNS's envelope of a message delivered to SQS. */
export interface Envelope {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
}

/** SNS and SQS clients pointed at the emulator. */
export function messaging() {
  const aws = { endpoint: endpoint(), region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  return { sns: new SNSClient(aws), sqs: new SQSClient(aws) };
}

let markers = 0;

/** A queue subscribed to `topicArn`. */
export class Inbox {
  private constructor(
    readonly queueUrl: string,
    readonly topicArn: string,
  ) {}

  static async subscribe(name: string, topicArn: string): Promise<Inbox> {
    const { sns, sqs } = messaging();
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? "";
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes?.QueueArn }));
    return new Inbox(url, topicArn);
  }

  /**
   * Everything the queue received since the last call. A marker published to the topic after the CLI
   * has exited is the positive control: once it arrives, whatever the CLI published (SNS delivered it
   * before the marker) has arrived too, so "nothing" is proven without a blind sleep.
   */
  async received(): Promise<Envelope[]> {
    const { sns, sqs } = messaging();
    const marker = `marker-${process.pid}-${++markers}`;
    await sns.send(new PublishCommand({ TopicArn: this.topicArn, Message: marker }));
    const got: Envelope[] = [];
    return eventually(
      async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: 10 }));
        for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: m.ReceiptHandle }));
        const envelopes = Messages.map((m) => JSON.parse(m.Body ?? "{}") as Envelope);
        got.push(...envelopes.filter((e) => e.Message !== marker));
        return envelopes.some((e) => e.Message === marker) && got;
      },
      { deadline: 10_000, interval: 50, what: `the marker ${marker}` },
    );
  }

  async remove(): Promise<void> {
    await messaging().sqs.send(new DeleteQueueCommand({ QueueUrl: this.queueUrl }));
  }
}
