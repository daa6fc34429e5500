import type { Context } from "../../context.js";
import { ApprovalsError, ExitCode, InterruptedError } from "../../errors.js";
import { mapLimit } from "../../lib/async.js";
import { CONCURRENCY } from "../../settings.js";
import { loadExecutionWorkflow } from "../stack/find.js";
import { storeScope } from "../store.js";
import { onStack, operand, type Scope, suggestCommand } from "../suggest.js";
import { decisionIdOf } from "../workflow/decision-record.js";
import type { Workflow } from "../workflow/definition.js";
import type { OpenWorkflow } from "../workflow/open.js";
import { type DecisionTarget, requireWaiting, sendVerdict, type Verdict } from "./decide.js";
import { type FollowResult, followExecution } from "./follow.js";
import { executionName, stateMachineArnOf } from "./names.js";
import { forgetExecution, openWaitingCache, waitsByExecution } from "./waiting-cache.js";

/** What happened to one execution of a decision command. */
export interface DecisionOutcome {
  name: string;
  executionArn: string;
  decision: Verdict["kind"];
  sent: boolean;
  /** Sent, and recorded by Step Functions, but its answer was lost on the way back. */
  replyLost?: boolean;
  /** With replyLost, sent without a DecisionId: a decision with the same payload was recorded, which may be this one. */
  samePayload?: boolean;
  /** The id the decision sent carries (none with `--exact-payload`). */
  decisionId?: string;
  /** Not known to be sent: its reply was lost and the history could not tell whether it landed (see `error`). */
  mayHaveLanded?: true;
  /** Not sent: Ctrl-C came before its turn. */
  interrupted?: boolean;
  error?: string;
  /** With `--wait`: how the execution ended. */
  result?: FollowResult;
  exitCode: number;
  /** Why nothing was sent (or following failed), kept whole: type, hint, AWS code and request id. */
  failure?: ApprovalsError;
}

/** The executions of a batch that wait for a decision, and those refused before anything was sent. */
export interface ReadTargets {
  ready: DecisionTarget[];
  refused: DecisionOutcome[];
}

/**
 * Read every execution before anything is sent: only those that wait are decided, each with the
 * Choice strings of the definition it runs on (an update since its start may have changed them).
 * `compose` makes each execution's verdict from the definition it runs on (a fresh one per execution:
 * each decision carries its own id).
 */
export async function readTargets(
  ctx: Context,
  open: OpenWorkflow,
  arns: string[],
  kind: Verdict["kind"],
  compose: (workflow: Workflow) => Promise<Verdict>,
): Promise<ReadTargets> {
  const remembered = await rememberedTokens(ctx, open.stateMachineArn);
  // What a refusal suggests acts on this batch's stack, which need not be the run's --stack-name.
  const stackName = open.stack.stackName;
  const scope = onStack(ctx, stackName);
  const targets = await mapLimit(arns, CONCURRENCY, async (arn) => {
    if (ctx.signal.aborted) return { refused: interruptedOutcome(arn, kind) };
    try {
      const found = await loadExecutionWorkflow(open.sfn, arn);
      const own = found ?? open.workflow;
      const verdict = await compose(own);
      const readWaiting = async (): Promise<DecisionTarget> => {
        const { waiting } = await requireWaiting(open.sfn, arn, own, scope);
        return { arn, token: waiting.token, workflow: own, verdict, stackName };
      };
      // The token `pending` saw: sent as it is, the history is read only if the token is refused.
      const token = found && remembered(arn);
      if (!token) return { target: await readWaiting() };
      const refresh = () =>
        readWaiting().then(
          (fresh) => (fresh.token === token ? undefined : fresh),
          () => undefined,
        );
      return { target: { arn, token, workflow: own, verdict, stackName, refresh } satisfies DecisionTarget };
    } catch (error) {
      return { refused: failedOutcome(arn, kind, error) };
    }
  });
  return {
    ready: targets.flatMap((t) => (t.target ? [t.target] : [])),
    refused: targets.flatMap((t) => (t.refused ? [t.refused] : [])),
  };
}

/** The task tokens `pending` remembered for the state machine's executions (none when the cache is off limits). */
async function rememberedTokens(ctx: Context, stateMachineArn: string): Promise<(arn: string) => string | undefined> {
  const scope = await storeScope(ctx);
  if (!scope) return () => undefined;
  const cache = await openWaitingCache(scope, stateMachineArn, { env: ctx.env });
  // The stack's workflow waits on one task at a time: an execution remembered with several is read again.
  const index = waitsByExecution(cache);
  return (arn) => {
    const tasks = index.get(arn) ?? [];
    return tasks.length === 1 ? tasks[0]?.token : undefined;
  };
}

/**
 * Forget the remembered tokens of executions just decided: the next decision on them must read
 * their history and say they no longer wait, not send a token Step Functions will refuse.
 */
export async function forgetDecided(ctx: Context, outcomes: DecisionOutcome[]): Promise<void> {
  const scope = await storeScope(ctx);
  if (!scope) return;
  const sent = outcomes.filter((o) => o.sent).map((o) => o.executionArn);
  for (const machine of new Set(sent.map(stateMachineArnOf))) {
    const cache = await openWaitingCache(scope, machine, { env: ctx.env });
    for (const arn of sent) if (stateMachineArnOf(arn) === machine) forgetExecution(cache, arn);
    await cache.save();
  }
}

/**
 * Send each ready execution its verdict (bounded concurrency); one failure does not stop the others.
 * After Ctrl-C no further verdict is sent; those in flight finish (or time out) and are reported.
 */
export function sendDecisions(ctx: Context, kind: Verdict["kind"], ready: DecisionTarget[]): Promise<DecisionOutcome[]> {
  return mapLimit(ready, CONCURRENCY, async (target): Promise<DecisionOutcome> => {
    if (ctx.signal.aborted) return interruptedOutcome(target.arn, kind);
    const name = executionName(target.arn);
    try {
      const { replyLost, samePayload } = await ctx.inFlight.track(`the decision for ${name}`, () => sendVerdict(ctx, target));
      const v = target.verdict;
      const decisionId = decisionIdOf(v.kind === "fail" ? v.cause : v.output);
      return {
        name,
        executionArn: target.arn,
        decision: kind,
        sent: true,
        ...(replyLost ? { replyLost } : {}),
        ...(samePayload ? { samePayload } : {}),
        ...(decisionId ? { decisionId } : {}),
        exitCode: ExitCode.OK,
      };
    } catch (error) {
      return failedOutcome(target.arn, kind, error);
    }
  });
}

function interruptedOutcome(arn: string, kind: Verdict["kind"]): DecisionOutcome {
  return {
    name: executionName(arn),
    executionArn: arn,
    decision: kind,
    sent: false,
    interrupted: true,
    error: "not sent: interrupted",
    exitCode: ExitCode.INTERRUPTED,
  };
}

/**
 * `--wait`: follow every execution that was sent a decision to its end, in parallel (bounded),
 * recording how each ended in its outcome. Ctrl-C throws: the decisions were sent, only the CLI
 * stopped watching.
 */
export async function followDecisions(ctx: Context, open: OpenWorkflow, outcomes: DecisionOutcome[], waitSeconds: number): Promise<void> {
  const followed = outcomes.filter((o) => o.sent);
  await mapLimit(followed, CONCURRENCY, async (outcome) => {
    try {
      outcome.result = await followExecution(ctx, outcome.executionArn, open.workflow, waitSeconds * 1000);
      // A wait that ran out is not an answer: a script must not take it for one.
      if (!outcome.result.finished) outcome.exitCode = ExitCode.FAILED;
    } catch (error) {
      if (ctx.signal.aborted)
        throw interruptedWait(
          onStack(ctx, open.stack.stackName),
          followed.map((o) => o.name),
          error,
        );
      outcome.exitCode = ExitCode.FAILED;
      outcome.error = `sent, but following it failed: ${(error as Error).message}`;
    }
  });
}

/** Ctrl-C during --wait: the decisions were sent; only the CLI stopped watching. */
function interruptedWait(scope: Scope, names: string[], cause: unknown): InterruptedError {
  const list = names.join(", ");
  return new InterruptedError(
    `Interrupted: stopped waiting. The decision for ${list} was sent; ${names.length === 1 ? "the execution goes" : "the executions go"} on at AWS.`,
    `See where ${names.length === 1 ? "it" : "each"} ended with \`${suggestCommand(scope, ["show", operand(names[0] ?? "")])}\`.`,
    cause,
  );
}

function failedOutcome(arn: string, kind: Verdict["kind"], error: unknown): DecisionOutcome {
  // Anything unforeseen keeps its message and, as the cause, its stack for --debug.
  const failure =
    error instanceof ApprovalsError ? error : new ApprovalsError(String((error as Error)?.message ?? error), undefined, error);
  return {
    name: executionName(arn),
    executionArn: arn,
    decision: kind,
    sent: false,
    ...(failure.mayHaveLanded ? { mayHaveLanded: true as const } : {}),
    error: failure.message,
    exitCode: failure.exitCode,
    failure,
  };
}
