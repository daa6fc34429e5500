// The SNS client and the one command this tool sends (see sdk/sfn.ts for why it is listed).
export { ListSubscriptionsByTopicCommand, SNSClient } from "@aws-sdk/client-sns";
