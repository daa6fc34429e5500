import type { CloudFormation, Stack, Tag } from "../../aws/cloudformation.js";
import { toUserError } from "../../aws/errors.js";
import type { CallOptions } from "../../aws/sfn.js";
import { type ApprovalStack, REQUIRED_OUTPUTS, toApprovalStack } from "./find.js";

/** The tag `approvals deploy` puts on the stacks it creates or updates: `--all-stacks` finds them by it first. */
export const WORKFLOW_TAG = { Key: "approvals:workflow", Value: "human-approval" } as const;

/** A stack `--all-stacks` works on, and why it was taken for a human-approval stack. */
export interface DiscoveredStack {
  stackName: string;
  status: string;
  /** How it was recognised: by {@link WORKFLOW_TAG}, or (deployed some other way) by its outputs. */
  by: "tag" | "outputs";
}

/** A stack found by {@link findApprovalStacks}, with its outputs as that listing described them. */
export interface FoundStack extends DiscoveredStack {
  /** The stack as described: its outputs need not be read again. */
  described: ApprovalStack;
}

/** The stack's tags with {@link WORKFLOW_TAG} set, keeping every other tag (an update's tags replace the stack's). */
export function withWorkflowTag(tags: readonly Tag[] | undefined): Tag[] {
  return [...(tags ?? []).filter((t) => t.Key !== WORKFLOW_TAG.Key), { ...WORKFLOW_TAG }];
}

/** Whether a described stack is a human-approval stack that commands can use now; undefined when not. */
export function recogniseStack(stack: Stack): DiscoveredStack | undefined {
  const status = stack.StackStatus ?? "";
  if (!stack.StackName || status === "DELETE_COMPLETE" || status === "REVIEW_IN_PROGRESS") return undefined;
  // Without both outputs no command can reach the workflow, tagged or not (a create still running, say).
  const outputs = new Map((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  if (!REQUIRED_OUTPUTS.every((key) => outputs.get(key))) return undefined;
  const tagged = (stack.Tags ?? []).some((t) => t.Key === WORKFLOW_TAG.Key && t.Value === WORKFLOW_TAG.Value);
  if (tagged) return { stackName: stack.StackName, status, by: "tag" };
  // Deployed without the CLI (the console, the AWS tutorial): the outputs must name a state machine.
  if (!/^arn:[^:]+:states:[^:]*:[^:]*:stateMachine:/.test(outputs.get("StateMachineHumanApprovalArn") ?? "")) return undefined;
  return { stackName: stack.StackName, status, by: "outputs" };
}

/**
 * Every human-approval stack in the account and region, by name: one paginated DescribeStacks,
 * each stack recognised by the tag first, by its outputs second, and kept as described. `options`
 * (default none) carries an abort signal, so that a watch's Ctrl-C ends a search the endpoint leaves unanswered.
 */
export async function findApprovalStacks(cfn: CloudFormation, options: CallOptions = {}): Promise<FoundStack[]> {
  const found: FoundStack[] = [];
  try {
    for await (const page of cfn.stackPages(options)) {
      for (const stack of page) {
        const recognised = recogniseStack(stack);
        if (recognised) found.push({ ...recognised, described: toApprovalStack(stack) });
      }
    }
  } catch (error) {
    throw toUserError(error, "Listing the stacks");
  }
  return found.sort((a, b) => a.stackName.localeCompare(b.stackName));
}
