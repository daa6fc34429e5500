import type { Context } from "../../context.js";
import { ApprovalsError } from "../../errors.js";
import type { Workflow } from "../workflow/definition.js";
import { type OpenWorkflow, openWorkflow } from "../workflow/open.js";
import type { DecisionTarget, Verdict } from "./decide.js";
import { type DecisionOutcome, readTargets } from "./decide-batch.js";
import { executionName, resolveExecutionArn } from "./names.js";
import { groupByStack, type NamedExecution } from "./targets.js";

/** One stack of a plan: its workflow and the executions named in it. */
export interface StackBatch {
  stackName: string;
  open: OpenWorkflow;
  arns: string[];
}

/** An outcome as reported: with its stack when the batch spans stacks. */
export type Reported = DecisionOutcome & { stack?: string };

/**
 * Open each named stack once and read its executions: those waiting are ready, the others refused.
 * A stack of several that cannot be opened refuses its own executions only.
 */
export async function openBatches(
  ctx: Context,
  named: NamedExecution[],
  kind: Verdict["kind"],
  compose: (workflow: Workflow) => Promise<Verdict>,
  recall = false,
): Promise<{ batches: StackBatch[]; ready: DecisionTarget[]; refused: Reported[] }> {
  const groups = groupByStack(named);
  const batches: StackBatch[] = [];
  const ready: DecisionTarget[] = [];
  const refused: Reported[] = [];
  for (const [stackName, group] of groups) {
    const stackCtx = { ...ctx, stackName };
    // Each execution is read with the definition it runs on, so the stack `pending` remembered is
    // enough to name them; when any is refused, the stack is read in full and, if its state
    // machine changed, the names are read again.
    let open: OpenWorkflow;
    let recalled: OpenWorkflow | undefined;
    try {
      const opened = await openWorkflow(stackCtx, { memory: recall ? "trust" : "off" });
      open = opened;
      if (opened.warm) recalled = opened;
    } catch (error) {
      if (groups.size === 1 || !(error instanceof ApprovalsError)) throw error;
      for (const n of group) refused.push(unopened(kind, n, error));
      continue;
    }
    // The same execution named twice (as a name and as an ARN, say) is decided once.
    const resolve = (machine: OpenWorkflow) => [...new Set(group.map((n) => resolveExecutionArn(machine.stateMachineArn, n.name)))];
    let arns = resolve(open);
    let read = await readTargets(ctx, open, arns, kind, compose);
    if (recalled && read.refused.length > 0) {
      const full = await openWorkflow(stackCtx);
      if (full.stateMachineArn !== recalled.stateMachineArn) {
        open = full;
        arns = resolve(open);
        read = await readTargets(ctx, open, arns, kind, compose);
      }
    }
    batches.push({ stackName, open, arns });
    ready.push(...read.ready);
    refused.push(...read.refused);
  }
  return { batches, ready, refused };
}

/** The outcome of an execution whose stack could not be opened: nothing was sent. */
function unopened(kind: Verdict["kind"], n: NamedExecution, error: ApprovalsError): Reported {
  const failure = { sent: false, error: error.message, exitCode: error.exitCode, failure: error };
  return { name: executionName(n.name), stack: n.stackName, executionArn: "", decision: kind, ...failure };
}
