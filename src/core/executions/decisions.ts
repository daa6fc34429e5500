import { randomUUID } from "node:crypto";
import type { Context } from "../../context.js";
import { ExitCode, InterruptedError, UsageError } from "../../errors.js";
import { CAUSE_LIMIT, type DecisionRecord, recordedCause, VIA_CLI } from "../workflow/decision-record.js";
import type { Decision, Workflow } from "../workflow/definition.js";
import { startCallerIdentity } from "./caller.js";
import { type DecisionTarget, type Verdict, verdictFor } from "./decide.js";
import { type DecisionOutcome, followDecisions, forgetDecided, sendDecisions } from "./decide-batch.js";
import { interruptedBatch } from "./interrupted-batch.js";
import { executionName } from "./names.js";
import { openBatches, type Reported, type StackBatch } from "./open-batches.js";
import type { NamedExecution } from "./targets.js";

export type { Reported } from "./open-batches.js";

/** What an operator asks of approve, reject or fail. */
export interface DecisionRequest {
  kind: Verdict["kind"];
  /** The executions named (or picked), in order. */
  named: NamedExecution[];
  /** The names may span stacks (`--all-stacks`): labels carry the stack. Default false. */
  allStacks?: boolean;
  /** approve/reject `--reason`: recorded beside the Status. */
  reason?: string;
  /** `--exact-payload`: send the email's payload (fail: the cause) alone, without a record. Default false. */
  exactPayload?: boolean;
  /** fail: `--error` and `--cause`. */
  error?: string;
  cause?: string;
  /** Name the executions with the stack `pending` remembered (read in full only if any is refused). Default false. */
  recall?: boolean;
}

/** One payload about to be sent and the executions it goes to (labels as the plan names them). */
export interface PayloadPreview {
  verdict: Verdict;
  names: string[];
  /** Each execution gets its own DecisionId: the one shown is the first's. */
  idPerExecution: boolean;
}

/** What {@link planDecisions} found: what will be sent where, and what was refused before anything is sent. */
export interface DecisionPlan {
  request: DecisionRequest;
  ready: DecisionTarget[];
  refused: Reported[];
  /** Every payload and the executions it goes to, for the confirmation. */
  previews: PayloadPreview[];
  /** `name`, or `stack/name` when the batch spans stacks. */
  label: (executionArn: string) => string;
  /** Whether outcomes name their stack. */
  spans: boolean;
  batches: StackBatch[];
}

/**
 * approve, reject and fail, step one: read who decides (STS, alongside the first AWS call), open each
 * named stack once and read its executions: those waiting are ready with their exact payload (each
 * with its own DecisionId), the others refused. Nothing is sent.
 */
export async function planDecisions(ctx: Context, request: DecisionRequest): Promise<DecisionPlan> {
  const { kind } = request;
  const identity = request.exactPayload ? undefined : startCallerIdentity(ctx);
  const record = async (): Promise<DecisionRecord> => ({
    decidedBy: await (identity as Promise<string>),
    via: VIA_CLI,
    ...(request.reason ? { reason: request.reason } : {}),
    decisionId: randomUUID(),
  });
  const compose = async (workflow: Workflow): Promise<Verdict> => {
    if (kind !== "fail") return verdictFor(workflow, kind as Decision, identity && (await record()));
    const cause = identity ? recordedCause(request.cause, await record()) : request.cause;
    if (cause !== undefined && [...cause].length > CAUSE_LIMIT) {
      throw new UsageError(`--cause with the record of who decided is longer than ${CAUSE_LIMIT} characters, Step Functions' limit.`);
    }
    return { kind, error: request.error ?? "", cause };
  };
  const { batches, ready, refused } = await openBatches(ctx, request.named, request.kind, compose, request.recall);
  if (ctx.signal.aborted) throw new InterruptedError("Interrupted: nothing was sent.");
  // A failed read of who decides stops everything: no decision is sent without its record.
  await identity?.catch((error: unknown) => {
    if (ready.length > 0 || refused.some((o) => o.failure === error)) throw error;
  });
  const spans = Boolean(request.allStacks) || request.named.some((n) => n.stackName !== ctx.stackName);
  const stackOf = new Map(batches.flatMap((b) => b.arns.map((arn) => [arn, b.stackName] as const)));
  const label = (arn: string) => (spans ? `${stackOf.get(arn)}/${executionName(arn)}` : executionName(arn));
  return { request, ready, refused, previews: previewsOf(ready, label), label, spans, batches };
}

/** The ready executions grouped by payload, ignoring the DecisionId each gets. */
function previewsOf(ready: DecisionTarget[], label: (arn: string) => string): PayloadPreview[] {
  const groups = new Map<string, DecisionTarget[]>();
  for (const t of ready) {
    const key = JSON.stringify(t.verdict).replace(/\\"DecisionId\\":\\"[^\\"]*\\"/, "");
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as DecisionTarget;
    const idPerExecution = group.length > 1 && JSON.stringify(first.verdict).includes('\\"DecisionId\\"');
    return { verdict: first.verdict, names: group.map((t) => label(t.arn)), idPerExecution };
  });
}

/** What {@link executeDecisions} did: every outcome, in the order the executions were named, and the exit code. */
export interface DecisionResult {
  outcomes: Reported[];
  exitCode: number;
  /** Ctrl-C cut the batch short. */
  interrupted: boolean;
  /** When interrupted, the error to end with (exit 130): how many were sent, and the command that sends the rest. */
  interruption?: InterruptedError;
}

/**
 * Step two, once confirmed: send each ready execution its verdict, forget their remembered tokens
 * and, with `waitSeconds`, follow each to its end (a `following` event first).
 */
export async function executeDecisions(ctx: Context, plan: DecisionPlan, waitSeconds?: number): Promise<DecisionResult> {
  const sent = await sendDecisions(ctx, plan.request.kind, plan.ready);
  await forgetDecided(ctx, sent);
  // Interrupted: report what was sent now; following would only wait longer.
  if (waitSeconds !== undefined && !ctx.signal.aborted) {
    const followed = sent.filter((o) => o.sent);
    ctx.emit({
      type: "following",
      what: followed.length === 1 ? plan.label(followed[0]?.executionArn ?? "") : `${followed.length} executions`,
    });
    await Promise.all(
      plan.batches.map((batch) =>
        followDecisions(
          ctx,
          batch.open,
          sent.filter((o) => batch.arns.includes(o.executionArn)),
          waitSeconds,
        ),
      ),
    );
  }
  return finished(ctx, plan, sent);
}

/** A plan with nothing ready: its refusals are the result. */
export function refusedOnly(ctx: Context, plan: DecisionPlan): DecisionResult {
  return finished(ctx, plan, []);
}

function finished(ctx: Context, plan: DecisionPlan, sent: DecisionOutcome[]): DecisionResult {
  const stackOf = new Map(plan.batches.flatMap((b) => b.arns.map((arn) => [arn, b.stackName] as const)));
  const withStack = (o: Reported): Reported => (plan.spans ? { ...o, stack: stackOf.get(o.executionArn) ?? o.stack } : o);
  // Reported in the order the executions were named (or picked).
  const order = new Map<string, number>();
  for (const [i, n] of plan.request.named.entries()) {
    const key = `${n.stackName}/${executionName(n.name)}`;
    if (!order.has(key)) order.set(key, i);
  }
  const keyOf = (o: Reported) => `${stackOf.get(o.executionArn) ?? o.stack}/${o.name}`;
  const outcomes = [...plan.refused, ...sent].map(withStack).sort((a, b) => (order.get(keyOf(a)) ?? 0) - (order.get(keyOf(b)) ?? 0));
  const interrupted = ctx.signal.aborted;
  return {
    outcomes,
    exitCode: batchExitCode(outcomes),
    interrupted,
    ...(interrupted ? { interruption: interruptedBatch(ctx, outcomes, plan.request) } : {}),
  };
}

/**
 * A batch's exit code: 0 when every execution was decided (and, with --wait, ended); otherwise 1
 * when any failed at AWS or its wait ran out; otherwise 3 (some were not found or not waiting).
 */
export function batchExitCode(outcomes: readonly DecisionOutcome[]): number {
  if (outcomes.every((o) => o.exitCode === 0)) return ExitCode.OK;
  if (outcomes.some((o) => o.exitCode === ExitCode.FAILED)) return ExitCode.FAILED;
  return outcomes.find((o) => o.exitCode !== 0)?.exitCode ?? ExitCode.FAILED;
}
