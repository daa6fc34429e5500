import { NO_CREDENTIALS, NO_REGION, UsageError } from "../errors.js";
import { toUserError } from "./errors.js";

/** What the command line says about where and as whom to call AWS. */
export interface ConventionOptions {
  /** `--region`; default: the chain below. */
  region?: string;
  /** `--profile`; default: AWS_PROFILE, then `default`. */
  profile?: string;
}

/** SDK client settings that make the SDK resolve region, credentials and endpoint as the AWS CLI does. */
export interface CliConventions {
  /** An explicit region, or undefined to leave AWS_REGION and the profile's region to the SDK. */
  region?: string;
  /** The explicitly chosen profile, if any. */
  profile?: string;
  /** The profile whose settings apply: `--profile`, else AWS_PROFILE (undefined means `default`). */
  activeProfile?: string;
  /** True when the environment's access keys must win over AWS_PROFILE's credentials. */
  envCredentials: boolean;
}

/**
 * Where the JavaScript SDK and the AWS CLI differ, decide as the AWS CLI does:
 * - region: `--region`, AWS_REGION, AWS_DEFAULT_REGION, then the profile's. The SDK never reads
 *   AWS_DEFAULT_REGION, so it is passed on explicitly when AWS_REGION is unset.
 * - credentials: `--profile` beats access keys in the environment, but AWS_PROFILE does not (botocore
 *   drops its environment provider only for a profile given on the command line); the SDK prefers
 *   AWS_PROFILE's profile in both cases.
 */
export function cliConventions(options: ConventionOptions, env: NodeJS.ProcessEnv): CliConventions {
  const region = options.region ?? (env.AWS_REGION ? undefined : env.AWS_DEFAULT_REGION || undefined);
  const envKeys = Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);
  return {
    region,
    profile: options.profile,
    activeProfile: options.profile ?? (env.AWS_PROFILE || undefined),
    envCredentials: !options.profile && Boolean(env.AWS_PROFILE) && envKeys,
  };
}

/**
 * Make `--profile` govern everything the SDK reads from the shared config, as it does in the AWS CLI.
 * The SDK honours a client's `profile` for region and credentials but reads `endpoint_url` (and a
 * profile's `services` section) only for AWS_PROFILE, so the chosen profile is put in the run's
 * environment: the process's own when the CLI runs as a program (bin/ hands it over at start-up).
 * One run runs one command, so this is set once, before the first client exists.
 */
export function selectProfile(profile: string | undefined, env: NodeJS.ProcessEnv): void {
  if (profile) env.AWS_PROFILE = profile;
}

interface ResolvableConfig {
  config: { region: () => Promise<string>; credentials: () => Promise<unknown> };
}

/**
 * Resolve a fresh client's region and credentials before any request, and turn the SDK's failures into
 * the AWS CLI's advice: an unknown profile, then a missing region, then missing credentials.
 */
export async function checkConfiguration(client: ResolvableConfig, conventions: CliConventions): Promise<void> {
  if (conventions.activeProfile && !(await profileExists(conventions.activeProfile))) {
    throw new UsageError(`The config profile (${conventions.activeProfile}) could not be found`);
  }
  const [region, credentials] = await Promise.allSettled([client.config.region(), client.config.credentials()]);
  if (region.status === "rejected") {
    if (/region is missing/i.test(String((region.reason as Error)?.message))) throw new UsageError(NO_REGION);
    throw toUserError(region.reason, "Resolving the region");
  }
  if (credentials.status === "rejected") throw toUserError(credentialsError(credentials.reason), "Getting credentials");
}

/** The SDK's final "nothing found" becomes the AWS CLI's sentence; a specific reason (an expired SSO session) is kept. */
function credentialsError(reason: unknown): unknown {
  const e = reason as Error | undefined;
  if (e?.name !== "CredentialsProviderError") return reason;
  if (/could not load credentials from any providers/i.test(e.message)) return new UsageError(NO_CREDENTIALS);
  return new UsageError(e.message.split("\n")[0] ?? NO_CREDENTIALS, undefined, reason);
}

/** Whether the shared config or credentials file (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) defines the profile. */
async function profileExists(name: string): Promise<boolean> {
  const { loadSharedConfigFiles } = await import("@smithy/core/config");
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  return name in configFile || name in credentialsFile;
}

/**
 * The endpoint Step Functions requests go to when not AWS's own, as the SDK picks it: `--endpoint-url`,
 * then AWS_ENDPOINT_URL_SFN, then AWS_ENDPOINT_URL. Caches keep what they hold apart by it.
 */
export function endpointOf(endpointUrl: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return endpointUrl ?? (env.AWS_ENDPOINT_URL_SFN || env.AWS_ENDPOINT_URL || undefined);
}
