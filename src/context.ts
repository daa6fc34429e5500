import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import { type AwsOptions, createCloudFormationClient, createSfnClient, createSnsClient } from "./aws/clients.js";
import type { Output } from "./output/output.js";

/** Options every command accepts. */
export interface CommonOptions {
  /** `--stack-name`; default `human-approval`. */
  stackName: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  json?: boolean;
  debug?: boolean;
  color?: boolean;
  yes?: boolean;
}

/** What every command handler gets: output, AWS clients and the stack it works on. */
export interface Context {
  out: Output;
  stackName: string;
  aws: AwsOptions;
  /** The clock, injectable for tests. */
  now: () => Date;
  sfn: () => Promise<SFNClient>;
  cloudFormation: () => Promise<CloudFormationClient>;
  sns: () => Promise<SNSClient>;
  /** Aborted on Ctrl-C: waits stop, and the command says what still runs at AWS. */
  signal: AbortSignal;
}

/** A command handler: returns the process exit code. */
export type Handler<A extends unknown[] = string[], O = Record<string, unknown>> = (
  ctx: Context,
  args: A,
  options: O & CommonOptions,
) => Promise<number>;

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Build the context for one run; clients are created on first use only. */
export function createContext(out: Output, options: CommonOptions, signal: AbortSignal = new AbortController().signal): Context {
  const aws: AwsOptions = {
    region: options.region,
    profile: options.profile,
    endpointUrl: options.endpointUrl,
    onRequest: out.debugEnabled
      ? (e) =>
          out.debug(
            `${e.service}.${e.operation} ${e.status ?? "-"} ${Math.round(e.ms)}ms attempts=${e.attempts ?? 1} request-id=${e.requestId ?? "-"}${e.error ? ` error=${e.error}` : ""}`,
          )
      : undefined,
    onWarning: out.debugEnabled ? (message) => out.debug(`AWS SDK: ${message.split("\n")[0]}`) : undefined,
  };
  return {
    out,
    stackName: options.stackName,
    aws,
    now: () => new Date(),
    sfn: memo(() => createSfnClient(aws)),
    cloudFormation: memo(() => createCloudFormationClient(aws)),
    sns: memo(() => createSnsClient(aws)),
    signal,
  };
}
