import type { Decision, Workflow } from "./definition.js";

/** The Approve and Reject URLs of one execution. */
export interface ApprovalLinks {
  approve: string;
  reject: string;
}

/**
 * The links exactly as the template's email function builds them: every parameter URL-encoded, so
 * names with `'`, `+`, `&`, spaces or any Unicode letter arrive intact. Each link opens the
 * approval page; only that page's form decides. They carry the token: a bearer secret.
 */
export function approvalLinks(apiGatewayEndpoint: string, stateMachineName: string, executionName: string, token: string): ApprovalLinks {
  const build = (action: string) =>
    `${apiGatewayEndpoint}/execution?action=${action}&ex=${encodeURIComponent(executionName)}&sm=${encodeURIComponent(stateMachineName)}&taskToken=${encodeURIComponent(token)}`;
  return { approve: build("approve"), reject: build("reject") };
}

const EXECUTE_API = /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^/?#]+)$/;

/**
 * The stack's invoke URL (`https://{api}.execute-api.{region}.amazonaws.com/{stage}`) as served by
 * a stand-in for API Gateway at `endpoint` (`APPROVALS_API_ENDPOINT`, set by `npm run sandbox`):
 * `{endpoint}/{api}/{stage}`. Without an endpoint, or for a URL of another shape, the URL itself.
 */
export function apiInvokeUrl(invokeUrl: string, endpoint: string | undefined): string {
  const match = endpoint ? invokeUrl.match(EXECUTE_API) : null;
  if (!endpoint || !match) return invokeUrl;
  return `${endpoint.replace(/\/+$/, "")}/${match[1]}/${match[2]}`;
}

/** The name at the end of a state machine ARN. */
export function stateMachineName(stateMachineArn: string): string {
  return stateMachineArn.slice(stateMachineArn.lastIndexOf(":") + 1);
}

/**
 * The SendTaskSuccess output the email's Approve or Reject link sends: the Lambda function
 * builds `{ "Status": "<Choice string>" }` and sends it through `JSON.stringify`.
 */
export function decisionPayload(workflow: Workflow, decision: Decision): string {
  const status = decision === "approve" ? workflow.approvedStatus : workflow.rejectedStatus;
  return JSON.stringify({ Status: status });
}

/** The Choice strings the template builds from an Email parameter. */
export function expectedStatuses(email: string): { approved: string; rejected: string } {
  return { approved: `Approved! Task approved by ${email}`, rejected: `Rejected! Task rejected by ${email}` };
}
