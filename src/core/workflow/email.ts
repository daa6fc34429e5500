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
