// The CloudFormation client and the commands this tool sends (see sdk/sfn.ts for why they are listed).
export {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListStackResourcesCommand,
} from "@aws-sdk/client-cloudformation";
