// The STS client and the one command this tool sends (see sdk/sfn.ts for why it is listed):
// GetCallerIdentity, which needs no IAM permission, names who a decision is made by.
export { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
