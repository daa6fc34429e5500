/** The stack name every command uses unless `--stack-name` says otherwise. */
export const DEFAULT_STACK_NAME = "human-approval";

/** What CloudFormation accepts as a stack name. */
export const STACK_NAME = /^[A-Za-z][-A-Za-z0-9]{0,127}$/;

/** Longest pause between polls of a stack or an execution: friendly to CloudFormation's API limits. */
export const DEFAULT_POLL_MS = 2000;

/** Executions `list` reports when `--limit` is not given (`list --state-machine` too). */
export const DEFAULT_LIST_LIMIT = 20;

/** Calls in flight at once for a batch (history reads, decisions): inside Step Functions' quotas, gentle on an emulator. */
export const CONCURRENCY = 10;

/** History reads `pending` starts at once: Step Functions' read bucket (250 to 400 calls) takes them; its refusals narrow the window (see StepFunctions.readHistories). */
export const READS_IN_FLIGHT = 50;
