// The one STS operation this tool makes.
import type { STSClient } from "@aws-sdk/client-sts";
import type { CallOptions } from "./sfn.js";

/** The STS gateway of one run, over one SDK client (the run's, or a test's fake with `send`). */
export class Sts {
  constructor(private readonly client: STSClient) {}

  /** Who the run's credentials are (GetCallerIdentity, which needs no IAM permission): the ARN, if STS names one. */
  async callerArn(options: CallOptions = {}): Promise<string | undefined> {
    const { GetCallerIdentityCommand } = await import("./sdk/sts.js");
    return (await this.client.send(new GetCallerIdentityCommand({}), options)).Arn;
  }
}
