// The SNS client and the commands this tool sends (see sdk/sfn.ts for why they are listed).
export { ListSubscriptionsByTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
