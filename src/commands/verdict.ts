import type { ProgressEvent } from "../core/events.js";
import { type DecisionPlan, type DecisionResult, executeDecisions, planDecisions, refusedOnly } from "../core/executions/decisions.js";
import { waitingToPick } from "../core/executions/pick-waiting.js";
import { type NamedExecution, parseNamedExecution } from "../core/executions/targets.js";
import { checkStateMachineOption } from "../core/machine/resolve.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { batchSummary } from "../output/batch-summary.js";
import type { CommandContext } from "./context.js";
import { askReason, checkFailure, checkReason, checkWaitTimeout, type VerdictOptions } from "./verdict-options.js";
import { outcomeLines, pickWaiting, previewLines, question } from "./verdict-prompts.js";

export type { VerdictOptions } from "./verdict-options.js";

/**
 * approve, reject and fail: parse, plan (who decides, each execution's token and exact payload),
 * show the payload and confirm, execute, and report each execution's result. Names may be
 * `stack/execution`: each stack is opened once.
 */
export async function runVerdict(
  ctx: CommandContext,
  kind: "approve" | "reject" | "fail",
  names: string[],
  options: VerdictOptions,
): Promise<number> {
  if (kind === "fail") checkFailure(options);
  checkReason(kind, options);
  const waitSeconds = checkWaitTimeout(options);
  checkStateMachineOption(options.stateMachine, options.stackNameGiven);
  if (options.stateMachine !== undefined) return (await import("./verdict-machine.js")).runMachineVerdict(ctx, kind, names, options);
  if (options.task !== undefined) throw new UsageError("--task applies with --state-machine: the stack's workflow waits on one task.");
  const named = names.map((n) => parseNamedExecution(n, ctx.stackName));
  if (names.length === 0 && !ctx.out.interactive) {
    throw new UsageError(
      `Name the execution to ${kind}.`,
      `Example: ${suggestCommand(ctx, [kind, "ApprovalTest"])} (list them with ${suggestCommand(ctx, ["pending"])})`,
    );
  }
  const chosen = named.length ? named : await pick(ctx, kind, Boolean(options.allStacks));
  const reason = kind === "reject" && options.reason === undefined && !options.exactPayload ? await askReason(ctx) : options.reason;
  const plan = await planDecisions(ctx, {
    kind,
    named: chosen,
    allStacks: options.allStacks,
    reason,
    exactPayload: options.exactPayload,
    error: options.error,
    cause: options.cause,
    recall: named.length > 0 && !options.wait,
  });
  const single = names.length === 1;
  if (plan.ready.length === 0) return finish(ctx, refusedOnly(ctx, plan), single, waitSeconds);
  // The exact payload and every execution are shown before the question, not after the fact.
  if (ctx.out.interactive) for (const preview of plan.previews) for (const line of previewLines(preview, ctx.out.style)) ctx.out.info(line);
  const readyNames = plan.ready.map((t) => plan.label(t.arn));
  await ctx.out.confirm(question(kind, readyNames), `${kind} ${plan.ready.length === 1 ? "this execution" : "these executions"}`);
  const result = await execute(ctx, plan, options.wait ? waitSeconds : undefined);
  return finish(ctx, result, single, waitSeconds);
}

/** Send, with a spinner while `--wait` follows the executions. */
async function execute(ctx: CommandContext, plan: DecisionPlan, waitSeconds: number | undefined): Promise<DecisionResult> {
  let stop = () => {};
  const emit = (event: ProgressEvent) => {
    if (event.type !== "following") return;
    const progress = ctx.out.progress(`Waiting for ${event.what} to end…`, { elapsed: true });
    stop = () => progress.stop();
  };
  try {
    return await executeDecisions({ ...ctx, emit }, plan, waitSeconds);
  } finally {
    stop();
  }
}

/** No execution named, at a terminal: pick from the waiting ones, of every stack with --all-stacks. */
async function pick(ctx: CommandContext, kind: "approve" | "reject" | "fail", allStacks: boolean): Promise<NamedExecution[]> {
  const progress = ctx.out.progress(
    allStacks ? "Reading the waiting executions of every human-approval stack…" : "Reading waiting executions…",
  );
  const emit = (event: ProgressEvent) => {
    if (event.type === "note") ctx.out.warn(event.message);
  };
  const found = await waitingToPick({ ...ctx, emit }, allStacks).finally(() => progress.stop());
  return pickWaiting(ctx, found, kind, allStacks);
}

/**
 * Report each outcome and, when some went wrong, a summary line; return the result's exit code, or
 * throw (130) when Ctrl-C cut the batch short.
 */
function finish(ctx: CommandContext, result: DecisionResult, single: boolean, waitSeconds: number): number {
  const { outcomes, interrupted } = result;
  const failed = outcomes.find((o) => !o.sent && !o.interrupted);
  if (ctx.out.json) {
    ctx.out.jsonResult(outcomes.map(({ exitCode, failure, ...rest }) => rest));
  } else if (single && failed?.failure && !interrupted) {
    // One execution: its error is the command's error, as it was raised (type, hint, request id).
    throw failed.failure;
  } else {
    const { style } = ctx.out;
    for (const line of outcomeLines(outcomes, style, waitSeconds)) ctx.out.result(line);
    if (outcomes.some((o) => o.result && !o.result.finished)) {
      // Across stacks, `show` needs the execution's own stack.
      const show = outcomes.some((o) => o.stack)
        ? suggestCommand(ctx, ["show", placeholder("name"), "--stack-name", placeholder("stack")], { stack: false })
        : suggestCommand(ctx, ["show", placeholder("name")]);
      ctx.out.info(`${style.dim("hint:")} the decision was sent; see where it is with \`${show}\`.`);
    }
    const summary = batchSummary(outcomes);
    if (summary) ctx.out.result(summary);
  }
  if (result.interruption) throw result.interruption;
  return result.exitCode;
}
