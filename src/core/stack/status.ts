/** What a CloudFormation stack status means for the operation that produced it. */
export type StackStatusKind = "in-progress" | "succeeded" | "failed";

/**
 * Classify a stack status: still working, ended well, or ended badly. A rollback that completes
 * is a failure of the operation, even though the stack is stable again.
 */
export function classifyStackStatus(status: string): StackStatusKind {
  if (status.endsWith("_IN_PROGRESS")) return "in-progress";
  if (status.includes("ROLLBACK") || status.endsWith("_FAILED")) return "failed";
  return "succeeded";
}

/** Whether a resource event's status reports a failure, whose reason should be shown. */
export function isFailedResourceStatus(status: string | undefined): boolean {
  return Boolean(status?.endsWith("_FAILED"));
}
