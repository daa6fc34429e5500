import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { type ApprovalsError, amend, awsErrorName, NotFoundError, refusedAtOnce } from "../../errors.js";
import { onStack, operand, type Scope, suggestCommand } from "../suggest.js";
import { type DecisionRecord, recordedOutput } from "../workflow/decision-record.js";
import type { Decision, Workflow } from "../workflow/definition.js";
import { decisionPayload } from "../workflow/email.js";
import { type CheckedExecution, checkWaiting, endedReason } from "./check-waiting.js";
import { readHistoryToSettle, recordedDecision, type SentDecision, type Whose, whoseDecision } from "./lost-reply.js";
import { executionName } from "./names.js";

/** One waiting execution about to be sent a verdict: its token and the definition it runs on. */
export interface DecisionTarget {
  arn: string;
  token: string;
  workflow: Workflow;
  verdict: Verdict;
  /** The stack it belongs to, for the commands its errors suggest. Default the run's `--stack-name`. */
  stackName?: string;
  /**
   * For a token remembered by `pending`: read the execution again and return it with its current
   * token when it still waits under another one; undefined when it does not wait. Default none.
   */
  refresh?: () => Promise<DecisionTarget | undefined>;
}

/** What an operator sends to a waiting execution. */
export type Verdict = { kind: Decision; output: string } | { kind: "fail"; error: string; cause?: string };

/**
 * The verdict for approve or reject: the email's `Status` unchanged with the record beside it, or
 * without a record the exact payload the email link sends (`--exact-payload`).
 */
export function verdictFor(workflow: Workflow, kind: Decision, record?: DecisionRecord): Verdict {
  if (!record) return { kind, output: decisionPayload(workflow, kind) };
  return { kind, output: recordedOutput(kind === "approve" ? workflow.approvedStatus : workflow.rejectedStatus, record) };
}

/**
 * Check an execution waits at the callback state; throws a not-found error saying why when not, with
 * a hint to list the waiting executions of its stack (`scope`).
 */
export async function requireWaiting(
  sfn: StepFunctions,
  executionArn: string,
  workflow: Workflow,
  scope: Scope,
): Promise<CheckedExecution & { waiting: NonNullable<CheckedExecution["waiting"]> }> {
  const inspected = await checkWaiting(sfn, executionArn, workflow, scope);
  if (!inspected.waiting) {
    throw new NotFoundError(
      inspected.notWaitingReason ?? `Execution ${executionName(executionArn)} is not waiting.`,
      `Run \`${suggestCommand(scope, ["pending"])}\` to list the executions waiting.`,
    );
  }
  return inspected as CheckedExecution & { waiting: NonNullable<CheckedExecution["waiting"]> };
}

/** What became of a verdict that was sent. */
export interface Delivery {
  /** True when the answer was lost but the execution's history holds this verdict (its DecisionId, or its exact text). */
  replyLost: boolean;
  /**
   * With a lost answer, for a verdict sent without a DecisionId: the history holds a decision with the
   * same payload in other spacing, which may be this one or another's. Default false.
   */
  samePayload?: boolean;
}

/** Errors that say the token was used or expired before this request reached the task. */
const TOKEN_GONE = new Set(["InvalidToken", "TaskDoesNotExist", "TaskTimedOut"]);

/**
 * Send the verdict with the execution's task token. When the answer says the token is gone on the
 * first attempt, someone else decided: read the execution again and say who. When the answer was
 * lost (a timeout, a dropped connection, HTTP 5xx, or a retry refused after one of those), the
 * history says whose decision landed: this one's (reply lost), someone else's, or none.
 */
export async function sendVerdict(ctx: Context, target: DecisionTarget): Promise<Delivery> {
  const { arn: executionArn, token, verdict } = target;
  const sfn = await ctx.sfn();
  try {
    if (verdict.kind === "fail") {
      await sfn.sendTaskFailure(token, { error: verdict.error, cause: verdict.cause });
    } else {
      await sfn.sendTaskSuccess(token, verdict.output);
    }
    return { replyLost: false };
  } catch (error) {
    const name = awsErrorName(error);
    const definite = refusedAtOnce(error);
    if (definite && name && TOKEN_GONE.has(name)) {
      // A remembered token may be stale while the execution waits under a new one: ask its history.
      const fresh = await target.refresh?.();
      if (fresh) return sendVerdict(ctx, fresh);
      throw await alreadyClosed(ctx, sfn, target, name);
    }
    const user = toUserError(error, `Sending the decision for ${executionName(executionArn)}`);
    if (definite) throw user;
    return settleLostReply(ctx, sfn, target, user);
  }
}

/** Reads of the history, {@link SETTLE_RETRY_MS} apart, before saying a decision whose answer was lost did not land. */
const SETTLE_READS = 4;
const SETTLE_RETRY_MS = 250;

/** After a send whose answer was lost: whose decision does the history hold? */
async function settleLostReply(ctx: Context, sfn: StepFunctions, target: DecisionTarget, failure: ApprovalsError): Promise<Delivery> {
  const name = executionName(target.arn);
  const sent: SentDecision =
    target.verdict.kind === "fail"
      ? { kind: "failed", error: target.verdict.error, cause: target.verdict.cause ?? "" }
      : { kind: "succeeded", output: target.verdict.output };
  let whose: Whose = "none";
  try {
    // A decision that landed reaches the history a moment after the call: read again before saying none did.
    for (let read = 0; read < SETTLE_READS && whose === "none"; read++) {
      if (read > 0) await ctx.sleep(SETTLE_RETRY_MS, ctx.signal);
      whose = whoseDecision(recordedDecision(await readHistoryToSettle(sfn, target.arn), target.token), sent);
    }
  } catch {
    throw amend(failure, {
      append: `It may have reached Step Functions all the same, and its history could not be read to tell: run \`${suggestCommand(onStack(ctx, target.stackName ?? ctx.stackName), ["show", operand(name)])}\` before sending it again.`,
      mayHaveLanded: true,
    });
  }
  if (whose === "ours") return { replyLost: true };
  if (whose === "same") return { replyLost: true, samePayload: true };
  if (whose === "theirs") throw await alreadyClosed(ctx, sfn, target, "TaskTimedOut");
  throw amend(failure, {
    append: `Step Functions has not recorded it: the decision was not taken, and ${name} still waits (send it again once the endpoint answers).`,
  });
}

/** Reads of the execution, {@link CLOSED_RETRY_MS} apart, before saying who decided it. */
const CLOSED_READS = 5;
const CLOSED_RETRY_MS = 200;

async function alreadyClosed(ctx: Context, sfn: StepFunctions, target: DecisionTarget, code: string): Promise<NotFoundError> {
  const { arn: executionArn, workflow } = target;
  const name = executionName(executionArn);
  // The execution may still be finishing the Choice and Pass states: give it a moment.
  for (let attempt = 0; attempt < CLOSED_READS; attempt++) {
    const now = await checkWaiting(sfn, executionArn, workflow, onStack(ctx, target.stackName ?? ctx.stackName)).catch(() => undefined);
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
