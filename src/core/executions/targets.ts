import { UsageError } from "../../errors.js";
import { STACK_NAME } from "../../settings.js";
import { validateExecutionName } from "./names.js";

/** An execution named on the command line, with the stack it belongs to. */
export interface NamedExecution {
  stackName: string;
  /** The execution name, or an ARN (of the `--stack-name` stack's state machine). */
  name: string;
  /** Given as `stack/execution`. */
  qualified: boolean;
}

/**
 * Read a name given as `execution`, `stack/execution` or an execution ARN, checking it locally.
 * Execution names cannot hold `/`, so the first one separates the stack.
 */
export function parseNamedExecution(text: string, defaultStack: string): NamedExecution {
  if (text.startsWith("arn:")) return { stackName: defaultStack, name: text, qualified: false };
  const slash = text.indexOf("/");
  if (slash < 0) {
    validateExecutionName(text);
    return { stackName: defaultStack, name: text, qualified: false };
  }
  const stackName = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (!STACK_NAME.test(stackName)) {
    throw new UsageError(
      `"${text}": ${JSON.stringify(stackName)} is not a valid CloudFormation stack name.`,
      "Name an execution of another stack as <stack>/<execution>, e.g. human-approval/ApprovalTest.",
    );
  }
  validateExecutionName(name);
  return { stackName, name, qualified: true };
}

/** The names grouped by stack, stacks in the order first named, names in the order given. */
export function groupByStack(named: readonly NamedExecution[]): Map<string, NamedExecution[]> {
  const groups = new Map<string, NamedExecution[]>();
  for (const n of named) groups.set(n.stackName, [...(groups.get(n.stackName) ?? []), n]);
  return groups;
}
