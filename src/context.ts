import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { STSClient } from "@aws-sdk/client-sts";
import { type AwsOptions, createCloudFormationClient, createSfnClient, createSnsClient, createStsClient } from "./aws/clients.js";
import { CloudFormation } from "./aws/cloudformation.js";
import { StepFunctions } from "./aws/sfn.js";
import { Sns } from "./aws/sns.js";
import { Sts } from "./aws/sts.js";
import { parseTimeout } from "./aws/timeouts.js";
import type { EventSink } from "./core/events.js";
import { sleep } from "./lib/async.js";
import { InFlight } from "./lib/in-flight.js";
import { DEFAULT_POLL_MS, DEFAULT_STACK_NAME } from "./settings.js";

/** What a run's context is made from: the stack and where and as whom to call AWS, as given. */
export interface ContextOptions {
  /** `--stack-name`; default `human-approval`. */
  stackName?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  /** `--cli-connect-timeout <seconds>`; default 60, 0 waits forever. */
  cliConnectTimeout?: string;
  /** `--cli-read-timeout <seconds>`; default 60, 0 waits forever. */
  cliReadTimeout?: string;
}

/** The SDK clients a run may use, each created on first use: what a test may replace (see {@link Seams}). */
export interface Clients {
  sfn: () => Promise<SFNClient>;
  cloudFormation: () => Promise<CloudFormationClient>;
  sns: () => Promise<SNSClient>;
  sts: () => Promise<STSClient>;
}

/**
 * The AWS gateways a run may use, each made on first use with its client: the core's only way to
 * AWS. Asynchronous because the client is: making it loads the SDK and checks region and credentials.
 */
export interface Gateways {
  sfn: () => Promise<StepFunctions>;
  cloudFormation: () => Promise<CloudFormation>;
  sns: () => Promise<Sns>;
  sts: () => Promise<Sts>;
}

/**
 * What every use case gets: the one seam for the environment, the clock and the AWS gateways.
 * Nothing after start-up reads `process.env` or the wall clock directly, so a test can run a
 * command in-process with its own.
 */
export interface Context extends Gateways {
  stackName: string;
  aws: AwsOptions;
  /** The environment read once at start-up. */
  env: NodeJS.ProcessEnv;
  /** The clock. */
  now: () => Date;
  /** Wait `ms`, or reject as soon as `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Longest pause between polls of stack and execution state: APPROVALS_POLL_MS, default 2 s. */
  pollMs: number;
  /** Aborted on Ctrl-C: waits stop, no further call that changes anything starts, and the command says what still runs at AWS. */
  signal: AbortSignal;
  /** The calls that change something and have not answered yet, for a second Ctrl-C to name. */
  inFlight: InFlight;
  /** Progress of the running use case; a no-op unless the command chose a printer. */
  emit: EventSink;
}

/** Where `--debug` lines go (the command's Output): each AWS request and the SDK's warnings. */
export interface DebugLog {
  debugEnabled: boolean;
  debug(text: string): void;
}

/** What tests may put in place of the real clients and clock. */
export interface Seams {
  /** SDK clients (or fakes with `send`) the gateways call instead of the real ones. */
  clients?: Partial<Clients>;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** Poll interval for stack and execution waits: APPROVALS_POLL_MS, else a CloudFormation-friendly 2 s. */
function pollInterval(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.APPROVALS_POLL_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_POLL_MS;
}

/** Build the context for one run; gateways and their clients are created on first use only. */
export function createContext(
  options: ContextOptions,
  run: { env: NodeJS.ProcessEnv; out?: DebugLog; signal?: AbortSignal; inFlight?: InFlight; seams?: Seams },
): Context {
  const { out, env } = run;
  const aws: AwsOptions = {
    region: options.region,
    profile: options.profile,
    endpointUrl: options.endpointUrl,
    timeouts: {
      connectSeconds: parseTimeout("--cli-connect-timeout", options.cliConnectTimeout),
      readSeconds: parseTimeout("--cli-read-timeout", options.cliReadTimeout),
    },
    env,
    onRequest: out?.debugEnabled
      ? (e) =>
          out.debug(
            `${e.service}.${e.operation} ${e.status ?? "-"} ${Math.round(e.ms)}ms attempts=${e.attempts ?? 1} request-id=${e.requestId ?? "-"}${e.error ? ` error=${e.error}` : ""}`,
          )
      : undefined,
    onWarning: out?.debugEnabled ? (message) => out.debug(`AWS SDK: ${message.split("\n")[0]}`) : undefined,
  };
  const clients = run.seams?.clients ?? {};
  return {
    stackName: options.stackName ?? DEFAULT_STACK_NAME,
    aws,
    env,
    now: run.seams?.now ?? (() => new Date()),
    sleep: run.seams?.sleep ?? sleep,
    pollMs: pollInterval(env),
    sfn: memo(async () => new StepFunctions(await (clients.sfn ?? (() => createSfnClient(aws)))())),
    cloudFormation: memo(async () => new CloudFormation(await (clients.cloudFormation ?? (() => createCloudFormationClient(aws)))())),
    sns: memo(async () => new Sns(await (clients.sns ?? (() => createSnsClient(aws)))())),
    sts: memo(async () => new Sts(await (clients.sts ?? (() => createStsClient(aws)))())),
    signal: run.signal ?? new AbortController().signal,
    inFlight: run.inFlight ?? new InFlight(),
    emit: () => {},
  };
}
