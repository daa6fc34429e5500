import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import type { SFNClient, SFNClientConfig } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { STSClient } from "@aws-sdk/client-sts";
import { type CliConventions, checkConfiguration, cliConventions, selectProfile } from "./conventions.js";
import { describeSdkLog } from "./sdk-log.js";
import { boundTimeouts, DEFAULT_TIMEOUT_SECONDS, requestHandlerTimeouts, type Timeouts } from "./timeouts.js";
import { noteEndpoint } from "./transport-errors.js";

/** Where and as whom to call AWS; anything unset is left to the SDK's default chains. */
export interface AwsOptions {
  /** `--region`; default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region. */
  region?: string;
  /** `--profile`; default: AWS_PROFILE, then `default`. */
  profile?: string;
  /** `--endpoint-url`; default: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, then AWS. */
  endpointUrl?: string;
  /** The environment the run started with: AWS_RETRY_MODE, AWS_MAX_ATTEMPTS, AWS_PROFILE and the region variables. */
  env: NodeJS.ProcessEnv;
  /** `--cli-connect-timeout` / `--cli-read-timeout`; default 60 s each. */
  timeouts?: Timeouts;
  /** Called after every request, for `--debug` logs and call counting. */
  onRequest?: (event: RequestEvent) => void;
  /** Called with the SDK's own warnings, for `--debug`; dropped when unset. */
  onWarning?: (message: string) => void;
}

/** One finished AWS request, as reported to {@link AwsOptions.onRequest}. */
export interface RequestEvent {
  service: string;
  operation: string;
  status: number | undefined;
  requestId: string | undefined;
  attempts: number | undefined;
  ms: number;
  error?: string;
}

/** The SDK configuration shared by every client, with the AWS CLI's precedence applied (see conventions.ts). */
async function clientConfig(options: AwsOptions, conventions: CliConventions) {
  const fromEnv = conventions.envCredentials ? (await import("@aws-sdk/credential-provider-env")).fromEnv : undefined;
  return {
    ...(conventions.region ? { region: conventions.region } : {}),
    ...(conventions.profile ? { profile: conventions.profile } : {}),
    ...(fromEnv ? { credentials: fromEnv() } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    // Standard retry (jittered exponential backoff). Not adaptive: its client-side rate limiter,
    // shared by every call of the client, slowed a throttled cold `pending` by half again, while
    // the history reads' own window (lib/adaptive.ts) already narrows on throttling.
    // AWS_RETRY_MODE and AWS_MAX_ATTEMPTS, which the AWS CLI honours too, replace these defaults.
    ...(options.env.AWS_RETRY_MODE ? {} : { retryMode: "standard" }),
    ...(Number(options.env.AWS_MAX_ATTEMPTS) > 0 ? {} : { maxAttempts: 8 }),
    // Each command type's middleware is resolved once per client rather than on every call: a cold
    // `pending` sends thousands of the same call. Middleware is therefore added to clients, never to
    // a single command (see throttling.ts).
    cacheMiddleware: true,
    // A silent endpoint must end the command, not hang it (see timeouts.ts).
    requestHandler: requestHandlerTimeouts(timeoutsOf(options)),
    // The SDK's warnings address developers (e.g. "multiple credential sources", settled above by the
    // AWS CLI's rule); users see them with --debug only. It has no `info`: the SDK's logger middleware
    // calls `logger.info?.(…)` after every call with copies of the request and the response filtered
    // for secrets, which a cold `pending` would build for each history read only to drop them.
    logger: {
      trace() {},
      debug() {},
      warn: (...content: unknown[]) => options.onWarning?.(describeSdkLog(content)),
      error: (...content: unknown[]) => options.onWarning?.(describeSdkLog(content)),
    } as unknown as SdkLogger,
  };
}

/** The SDK's logger type, which declares an `info` method this tool's logger leaves out on purpose. */
type SdkLogger = NonNullable<SFNClientConfig["logger"]>;

function timeoutsOf(options: AwsOptions): Timeouts {
  return options.timeouts ?? { connectSeconds: DEFAULT_TIMEOUT_SECONDS, readSeconds: DEFAULT_TIMEOUT_SECONDS };
}

const checked = new WeakMap<AwsOptions, Promise<void>>();

/** Build a client the AWS CLI's way; the first client of a run checks region and credentials before any request. */
async function create<C extends object>(make: (config: Awaited<ReturnType<typeof clientConfig>>) => C, options: AwsOptions): Promise<C> {
  const conventions = cliConventions(options, options.env);
  selectProfile(conventions.profile, options.env);
  const client = boundTimeouts(make(await clientConfig(options, conventions)), timeoutsOf(options));
  let check = checked.get(options);
  if (!check) {
    check = checkConfiguration(client as unknown as Parameters<typeof checkConfiguration>[0], conventions);
    checked.set(options, check);
  }
  await check;
  return client;
}

interface Instrumentable {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => Promise<unknown>,
      options: { step: "initialize"; name: string },
    ) => void;
  };
}

/**
 * The endpoint a service's calls go to when one is configured: `--endpoint-url`, else the service's
 * AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL (as the SDK chooses); undefined for AWS's own.
 */
function configuredEndpoint(service: string, options: AwsOptions): string | undefined {
  if (options.endpointUrl) return options.endpointUrl;
  const { env } = options;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") return undefined;
  return env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.AWS_ENDPOINT_URL || undefined;
}

/** Note on each failed call's error the endpoint it went to, so a transport failure is explained naming it. */
function noteEndpointOnError<T>(client: T, service: string, options: AwsOptions): T {
  const endpoint = configuredEndpoint(service, options);
  if (!endpoint) return client;
  (client as unknown as Instrumentable).middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        noteEndpoint(error, endpoint);
        throw error;
      }
    },
    { step: "initialize", name: "approvalsEndpointOfErrors" },
  );
  return client;
}

/** Report each request (never its body: task tokens travel in it) to `onRequest`. */
function instrument<T>(client: T, service: string, options: AwsOptions): T {
  const onRequest = options.onRequest;
  if (!onRequest) return client;
  (client as unknown as Instrumentable).middlewareStack.add(
    (next, context) => async (args) => {
      const started = performance.now();
      const operation = String(context.commandName ?? "").replace(/Command$/, "");
      try {
        const result = (await next(args)) as { output?: { $metadata?: Meta } };
        const meta = result.output?.$metadata;
        onRequest({
          service,
          operation,
          status: meta?.httpStatusCode,
          requestId: meta?.requestId,
          attempts: meta?.attempts,
          ms: performance.now() - started,
        });
        return result;
      } catch (error) {
        const meta = (error as { $metadata?: Meta }).$metadata;
        onRequest({
          service,
          operation,
          status: meta?.httpStatusCode,
          requestId: meta?.requestId,
          attempts: meta?.attempts,
          ms: performance.now() - started,
          error: (error as Error).name,
        });
        throw error;
      }
    },
    { step: "initialize", name: "approvalsRequestLog" },
  );
  return client;
}

interface Meta {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

/** A Step Functions client; the SDK module loads on first use. */
export async function createSfnClient(options: AwsOptions): Promise<SFNClient> {
  const { SFNClient } = await import("./sdk/sfn.js");
  return instrument(noteEndpointOnError(await create((config) => new SFNClient(config), options), "SFN", options), "SFN", options);
}

/** A CloudFormation client; the SDK module loads on first use. */
export async function createCloudFormationClient(options: AwsOptions): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await import("./sdk/cloudformation.js");
  return instrument(
    noteEndpointOnError(await create((config) => new CloudFormationClient(config), options), "CloudFormation", options),
    "CloudFormation",
    options,
  );
}

/** An SNS client; the SDK module loads on first use. */
export async function createSnsClient(options: AwsOptions): Promise<SNSClient> {
  const { SNSClient } = await import("./sdk/sns.js");
  return instrument(noteEndpointOnError(await create((config) => new SNSClient(config), options), "SNS", options), "SNS", options);
}

/** An STS client; the SDK module loads on first use. */
export async function createStsClient(options: AwsOptions): Promise<STSClient> {
  const { STSClient } = await import("./sdk/sts.js");
  return instrument(noteEndpointOnError(await create((config) => new STSClient(config), options), "STS", options), "STS", options);
}
