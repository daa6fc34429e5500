import { parseTimeout } from "./aws/timeouts.js";
import { UsageError } from "./errors.js";
import { safeText } from "./lib/safe-text.js";
import { STACK_NAME } from "./settings.js";

/** The options every command takes that can be checked before anything is sent. */
export interface CheckedOptions {
  stackName?: string;
  region?: string;
  endpointUrl?: string;
  cliConnectTimeout?: string;
  cliReadTimeout?: string;
}

/** Region names as AWS forms them: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, eusc-de-east-1 ... */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

/** The environment variables that name the endpoint of a service the CLI calls, in the SDK's spelling. */
const SERVICE_ENDPOINT_VARIABLES = ["AWS_ENDPOINT_URL_SFN", "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL_SNS"];

/** Refuse a malformed --stack-name, --region, --endpoint-url or timeout locally, with the fix in the hint. */
export function checkCommonOptions(options: CheckedOptions): void {
  const { stackName, region, endpointUrl } = options;
  parseTimeout("--cli-connect-timeout", options.cliConnectTimeout);
  parseTimeout("--cli-read-timeout", options.cliReadTimeout);
  if (stackName !== undefined && !stackName.startsWith("arn:") && !STACK_NAME.test(stackName)) {
    throw new UsageError(
      `--stack-name ${JSON.stringify(stackName)} is not a valid CloudFormation stack name.`,
      "A stack name starts with a letter and has at most 128 letters, digits and hyphens, e.g. human-approval.",
    );
  }
  if (region !== undefined && !REGION.test(region)) {
    throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name.`, "Example: --region us-east-1");
  }
  if (endpointUrl !== undefined && !isHttpUrl(endpointUrl)) {
    throw new UsageError(`--endpoint-url ${safeText(endpointUrl)} is not an http(s) URL.`, "Example: --endpoint-url http://localhost:5000");
  }
}

/**
 * Refuse a malformed endpoint in the environment as --endpoint-url is refused: AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_SFN, _CLOUDFORMATION and _SNS. Only what the SDK will use is checked: nothing when
 * --endpoint-url is given (it wins) or AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is `true`, and
 * AWS_ENDPOINT_URL only while some service has no variable of its own. Empty counts as unset, as in the SDK.
 * @param env The process environment (passed in: this function reads no globals).
 * @param endpointUrl `--endpoint-url`, if given.
 */
export function checkEndpointVariables(env: Readonly<Record<string, string | undefined>>, endpointUrl?: string): void {
  if (endpointUrl !== undefined || env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") return;
  const used = SERVICE_ENDPOINT_VARIABLES.filter((name) => env[name]);
  if (used.length < SERVICE_ENDPOINT_VARIABLES.length) used.unshift("AWS_ENDPOINT_URL");
  for (const name of used) {
    const value = env[name];
    if (value && !isHttpUrl(value)) {
      throw new UsageError(`${name} ${safeText(value)} is not an http(s) URL.`, `Example: ${name}=http://localhost:5000`);
    }
  }
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}
