// The Step Functions client and the commands this tool sends, re-exported statically: a dynamic
// `import("@aws-sdk/client-sfn")` would keep every command of the client (and its schemas) in the
// bundle and evaluate them on every run. Import this module with `await import()`.
export {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from "@aws-sdk/client-sfn";
