import type { SFNClient } from "@aws-sdk/client-sfn";
import type { Context } from "../../context.js";
import { amend, awsErrorName, NotFoundError, toUserError } from "../../errors.js";
import type { Decision, Workflow } from "../workflow/definition.js";
import { decisionPayload } from "../workflow/email.js";
import { endedReason, type InspectedExecution, inspectExecution } from "./inspect.js";
import { executionName } from "./names.js";

/** One waiting execution about to be sent a verdict: its token and the definition it runs on. */
export interface DecisionTarget {
  arn: string;
  token: string;
  workflow: Workflow;
  verdict: Verdict;
  /**
   * For a token remembered by `pending`: read the execution again and return it with its current
   * token when it still waits under another one; undefined when it does not wait. Default none.
   */
  refresh?: () => Promise<DecisionTarget | undefined>;
}

/** What an operator sends to a waiting execution. */
export type Verdict = { kind: Decision; output: string } | { kind: "fail"; error: string; cause?: string };

/** The verdict for approve or reject, with the exact payload the email link sends. */
export function verdictFor(workflow: Workflow, kind: Decision): Verdict {
  return { kind, output: decisionPayload(workflow, kind) };
}

/** Check an execution waits at the callback state; throws a not-found error saying why when not. */
export async function requireWaiting(
  sfn: SFNClient,
  executionArn: string,
  workflow: Workflow,
): Promise<InspectedExecution & { waiting: NonNullable<InspectedExecution["waiting"]> }> {
  const inspected = await inspectExecution(sfn, executionArn, workflow);
  if (!inspected.waiting) {
    throw new NotFoundError(
      inspected.notWaitingReason ?? `Execution ${executionName(executionArn)} is not waiting.`,
      "Run `approvals pending` to list the executions waiting.",
    );
  }
  return inspected as InspectedExecution & { waiting: NonNullable<InspectedExecution["waiting"]> };
}

/**
 * Send the verdict with the execution's task token. When the token was used meanwhile (someone
 * clicked the email link), read the execution again and say who decided it.
 */
export async function sendVerdict(ctx: Context, target: DecisionTarget): Promise<void> {
  const { arn: executionArn, token, verdict } = target;
  const sfn = await ctx.sfn();
  const { SendTaskFailureCommand, SendTaskSuccessCommand } = await import("@aws-sdk/client-sfn");
  try {
    if (verdict.kind === "fail") {
      await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: verdict.error, cause: verdict.cause }));
    } else {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: verdict.output }));
    }
  } catch (error) {
    const name = awsErrorName(error);
    if (name === "InvalidToken" || name === "TaskDoesNotExist" || name === "TaskTimedOut") {
      // A remembered token may be stale while the execution waits under a new one: ask its history.
      const fresh = await target.refresh?.();
      if (fresh) return sendVerdict(ctx, fresh);
      throw await alreadyClosed(ctx, sfn, target, name);
    }
    const user = toUserError(error, `Sending the decision for ${executionName(executionArn)}`);
    // A refusal (4xx) means nothing was applied; without an answer, the decision may have landed.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
    if (status >= 400 && status < 500) throw user;
    throw amend(user, {
      append: `It may have reached Step Functions all the same: run \`approvals show ${executionName(executionArn)}\` before sending it again.`,
    });
  }
}

/** Reads of the execution, {@link CLOSED_RETRY_MS} apart, before saying who decided it. */
const CLOSED_READS = 5;
const CLOSED_RETRY_MS = 200;

async function alreadyClosed(ctx: Context, sfn: SFNClient, target: DecisionTarget, code: string): Promise<NotFoundError> {
  const { arn: executionArn, workflow } = target;
  const name = executionName(executionArn);
  // The execution may still be finishing the Choice and Pass states: give it a moment.
  for (let attempt = 0; attempt < CLOSED_READS; attempt++) {
    const now = await inspectExecution(sfn, executionArn, workflow).catch(() => undefined);
    if (now?.outcome || now?.execution.status !== "RUNNING") {
      if (now) return new NotFoundError(`Execution ${name} was decided by someone else first: ${endedReason(now.execution, now.outcome)}.`);
    }
    await ctx.sleep(CLOSED_RETRY_MS, ctx.signal);
  }
  return new NotFoundError(
    code === "TaskTimedOut"
      ? `Execution ${name}'s task timed out before the decision arrived.`
      : `Execution ${name} was already decided by someone else (${code}).`,
  );
}
