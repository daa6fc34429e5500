import { parseTimeout } from "./aws/timeouts.js";
import { UsageError } from "./errors.js";

/** The options every command takes that can be checked before anything is sent. */
export interface CheckedOptions {
  stackName?: string;
  region?: string;
  endpointUrl?: string;
  cliConnectTimeout?: string;
  cliReadTimeout?: string;
}

/** CloudFormation's rule for stack names; an ARN (a stack id) is accepted as it is. */
const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

/** Region names as AWS forms them: us-east-1, eu-central-2, us-gov-west-1, cn-north-1, eusc-de-east-1 ... */
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;

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
  if (endpointUrl !== undefined) {
    let ok = false;
    try {
      ok = /^https?:$/.test(new URL(endpointUrl).protocol);
    } catch {}
    if (!ok) throw new UsageError(`--endpoint-url ${endpointUrl} is not an http(s) URL.`, "Example: --endpoint-url http://localhost:5000");
  }
}
