import { CreateStateMachineCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";

export type Json = Record<string, unknown>;

/** A JSONata callback task that sends its token (and `extra`) to the queue as a JSON message; `fields` add to the state. */
export function askTask(queueUrl: string, extra: Json = {}, fields: Json = {}): Json {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    Arguments: { QueueUrl: queueUrl, MessageBody: { token: "{% $states.context.Task.Token %}", ...extra } },
    ...fields,
  };
}

/**
 * State machines created straight with the SDK (no stack) on one emulator, whose callback tasks
 * send their tokens through SQS (moto runs those without Docker), as a workflow's own code would.
 */
export function sqsCallbacks(endpoint: string) {
  const config = { endpoint, region: "us-east-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
  const sfn = new SFNClient(config);
  const sqs = new SQSClient(config);

  /** Create a queue and a state machine whose definition `build` makes with the queue's URL. */
  async function machine(build: (queueUrl: string) => Json) {
    const name = uniqueStackName("callbacks");
    const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const definition = JSON.stringify(build(QueueUrl));
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name, definition, roleArn: "arn:aws:iam::123456789012:role/sfn" }),
    );
    let runs = 0;
    // Named: moto names an execution started without a name "None", and a second one then clashes.
    const start = async (input: Json) => {
      const started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${++runs}`, input: JSON.stringify(input) }));
      return started.executionArn ?? "";
    };
    return { queueUrl: QueueUrl, start, machineArn: stateMachineArn ?? "" };
  }

  /** The next message on the queue (bounded wait), deleted, its body parsed. */
  async function nextMessage(queueUrl: string): Promise<Json> {
    const message = await eventually(
      async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 0 }))).Messages?.[0],
      { deadline: 5_000, what: `a message on ${queueUrl}` },
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    return JSON.parse(message.Body ?? "");
  }

  /** SendTaskSuccess with `output`. */
  const answer = (token: unknown, output: Json) =>
    sfn.send(new SendTaskSuccessCommand({ taskToken: String(token), output: JSON.stringify(output) }));

  return { sfn, machine, nextMessage, answer };
}
