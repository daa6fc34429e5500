import type { Decision, Workflow } from "./definition.js";

/** The Approve and Reject URLs of one execution. */
export interface ApprovalLinks {
  approve: string;
  reject: string;
}

/**
 * The links exactly as the template's email function builds them: execution and state machine
 * names unencoded, the task token URL-encoded. They carry the token: a bearer secret.
 */
export function approvalLinks(apiGatewayEndpoint: string, stateMachineName: string, executionName: string, token: string): ApprovalLinks {
  const build = (action: string) =>
    `${apiGatewayEndpoint}/execution?action=${action}&ex=${executionName}&sm=${stateMachineName}&taskToken=${encodeURIComponent(token)}`;
  return { approve: build("approve"), reject: build("reject") };
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
