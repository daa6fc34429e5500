import type { DecisionTarget, Verdict } from "../core/executions/decide.js";
import { followDecisions, forgetDecided, type Outcome, readTargets, sendDecisions } from "../core/executions/decide-batch.js";
import { executionName, resolveExecutionArn } from "../core/executions/names.js";
import { groupByStack, type NamedExecution, parseNamedExecution } from "../core/executions/targets.js";
import { operand, placeholder, type Scope, suggestCommand } from "../core/suggest.js";
import type { Decision } from "../core/workflow/definition.js";
import { type OpenWorkflow, openWorkflow } from "../core/workflow/open.js";
import { recalledWorkflow } from "../core/workflow/open-known.js";
import { ApprovalsError, InterruptedError, UsageError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";
import { batchExitCode, batchSummary } from "../output/batch-summary.js";
import type { CommandContext } from "./context.js";
import { pickAcrossStacks } from "./pick-across-stacks.js";
import { describeEnd, pickWaiting, previewLines, question } from "./verdict-prompts.js";

/** Options of approve, reject and fail. */
export interface VerdictOptions {
  /** fail: `--error <code>`. */
  error?: string;
  /** fail: `--cause <text>`. */
  cause?: string;
  /** `--wait`: follow each execution to its end and report the branch it took. Default false. */
  wait?: boolean;
  /** `--wait-timeout <seconds>`: how long `--wait` waits for each execution. Default 300. */
  waitTimeout?: string;
  /** `--all-stacks`: the picker offers the waiting executions of every human-approval stack. Default false. */
  allStacks?: boolean;
}

/** `--wait-timeout` when not given. */
const DEFAULT_WAIT_SECONDS = 300;

/** One stack of a batch: its workflow and the executions named in it. */
interface StackBatch {
  stackName: string;
  open: OpenWorkflow;
  arns: string[];
}

/**
 * approve, reject and fail: find the token of each waiting execution, confirm the exact payload,
 * send it, and report each execution's result. Names may be `stack/execution`: each stack is
 * opened once, and its executions are decided with its own workflow.
 */
export async function runVerdict(ctx: CommandContext, kind: Decision | "fail", names: string[], options: VerdictOptions): Promise<number> {
  if (kind === "fail") checkFailure(options);
  const waitSeconds = checkWaitTimeout(options);
  const named = names.map((n) => parseNamedExecution(n, ctx.stackName));
  if (names.length === 0 && !ctx.out.interactive) {
    throw new UsageError(
      `Name the execution to ${kind}.`,
      `Example: ${suggestCommand(ctx, [kind, "ApprovalTest"])} (list them with ${suggestCommand(ctx, ["pending"])})`,
    );
  }
  const failure: Verdict | undefined = kind === "fail" ? { kind, error: options.error ?? "", cause: options.cause } : undefined;
  const chosen = named.length ? named : await pickNamed(ctx, kind, options.allStacks);
  // Names carry their stack once the batch spans stacks (or could: --all-stacks).
  const spans = Boolean(options.allStacks) || chosen.some((n) => n.stackName !== ctx.stackName);
  const { batches, ready, refused } = await openBatches(ctx, chosen, kind, failure, named.length > 0 && !options.wait);
  if (ctx.signal.aborted) throw new InterruptedError("Interrupted: nothing was sent.");
  const stackOf = new Map(batches.flatMap((b) => b.arns.map((arn) => [arn, b.stackName] as const)));
  // JSON gets each outcome's `stack`; people read `stack/execution`.
  const withStack = (outcomes: Outcome[]): Reported[] =>
    spans ? outcomes.map((o) => ({ ...o, stack: stackOf.get(o.executionArn) ?? (o as Reported).stack })) : outcomes;
  const label = (arn: string) => (spans ? `${stackOf.get(arn)}/${executionName(arn)}` : executionName(arn));
  // Reported in the order the executions were named (or picked).
  const order = new Map<string, number>();
  for (const [i, n] of chosen.entries()) {
    const key = `${n.stackName}/${executionName(n.name)}`;
    if (!order.has(key)) order.set(key, i);
  }
  const inOrder = (outcomes: Reported[]) =>
    outcomes.sort((a, b) => (order.get(keyOf(a, stackOf)) ?? 0) - (order.get(keyOf(b, stackOf)) ?? 0));
  const single = names.length === 1;
  if (ready.length === 0) return finish(ctx, inOrder(withStack(refused)), single, waitSeconds, failure);

  // The exact payload and every execution are shown before the question, not after the fact.
  if (ctx.out.interactive) {
    for (const [payload, group] of groupBy(ready, (t) => JSON.stringify(t.verdict))) {
      for (const line of previewLines(
        JSON.parse(payload),
        group.map((t) => label(t.arn)),
        ctx.out.style,
      ))
        ctx.out.info(line);
    }
  }
  const readyNames = ready.map((t) => label(t.arn));
  await ctx.out.confirm(question(kind, readyNames), `${kind} ${ready.length === 1 ? "this execution" : "these executions"}`);
  const sent = await sendDecisions(ctx, kind, ready);
  await forgetDecided(ctx, sent);
  // Interrupted: report what was sent now; following would only wait longer.
  if (options.wait && !ctx.signal.aborted) {
    const followed = sent.filter((o) => o.sent);
    const progress = ctx.out.progress(
      `Waiting for ${followed.length === 1 ? label(followed[0]?.executionArn ?? "") : `${followed.length} executions`} to end…`,
      {
        elapsed: true,
      },
    );
    try {
      await Promise.all(
        batches.map((batch) =>
          followDecisions(
            ctx,
            batch.open,
            sent.filter((o) => batch.arns.includes(o.executionArn)),
            waitSeconds,
          ),
        ),
      );
    } finally {
      progress.stop();
    }
  }
  return finish(ctx, inOrder(withStack([...refused, ...sent])), single, waitSeconds, failure);
}

/** An outcome as reported: with its stack when the batch spans stacks. */
type Reported = Outcome & { stack?: string };

/** `stack/execution` of an outcome, as the names were keyed. */
function keyOf(o: Reported, stackOf: Map<string, string>): string {
  return `${stackOf.get(o.executionArn) ?? o.stack}/${o.name}`;
}

/**
 * Open each named stack once and read its executions: those waiting are ready, the others refused.
 * A stack of several that cannot be opened refuses its own executions only.
 */
async function openBatches(
  ctx: CommandContext,
  chosen: NamedExecution[],
  kind: Verdict["kind"],
  failure: Verdict | undefined,
  recall: boolean,
): Promise<{ batches: StackBatch[]; ready: DecisionTarget[]; refused: Reported[] }> {
  const groups = groupByStack(chosen);
  const batches: StackBatch[] = [];
  const ready: DecisionTarget[] = [];
  const refused: Reported[] = [];
  for (const [stackName, group] of groups) {
    const stackCtx = { ...ctx, stackName };
    // Each execution is read with the definition it runs on, so the stack `pending` remembered is
    // enough to name them; when any is refused, the stack is read in full and, if its state
    // machine changed, the names are read again.
    const recalled = recall ? await recalledWorkflow(stackCtx) : undefined;
    let open: OpenWorkflow;
    try {
      open = recalled ?? (await openWorkflow(stackCtx));
    } catch (error) {
      if (groups.size === 1 || !(error instanceof ApprovalsError)) throw error;
      for (const n of group) refused.push(unopened(kind, n, error));
      continue;
    }
    // The same execution named twice (as a name and as an ARN, say) is decided once.
    const resolve = (machine: OpenWorkflow) => [...new Set(group.map((n) => resolveExecutionArn(machine.stateMachineArn, n.name)))];
    let arns = resolve(open);
    let read = await readTargets(ctx, open, arns, kind, failure);
    if (recalled && read.refused.length > 0) {
      const full = await openWorkflow(stackCtx);
      if (full.stateMachineArn !== recalled.stateMachineArn) {
        open = full;
        arns = resolve(open);
        read = await readTargets(ctx, open, arns, kind, failure);
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

/** No execution named, at a terminal: pick from the waiting ones, of every stack with --all-stacks. */
async function pickNamed(ctx: CommandContext, kind: Verdict["kind"], allStacks?: boolean): Promise<NamedExecution[]> {
  if (allStacks) return pickAcrossStacks(ctx, kind);
  const open = await openWorkflow(ctx);
  const arns = await pickWaiting(ctx, open, kind);
  return arns.map((arn) => ({ stackName: ctx.stackName, name: arn, qualified: false }));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function checkWaitTimeout(options: VerdictOptions): number {
  if (options.waitTimeout === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(options.waitTimeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--wait-timeout ${options.waitTimeout} is not a positive number of seconds.`, "Example: --wait --wait-timeout 60");
  }
  if (!options.wait) throw new UsageError("--wait-timeout applies only with --wait.", "Example: --wait --wait-timeout 60");
  return seconds;
}

function checkFailure(options: VerdictOptions): void {
  if (!options.error?.trim()) throw new UsageError("--error must not be empty.");
  if ([...options.error].length > 256) throw new UsageError("--error is longer than 256 characters, Step Functions' limit.");
  if ([...(options.cause ?? "")].length > 32768) throw new UsageError("--cause is longer than 32768 characters, Step Functions' limit.");
}

/**
 * Report each outcome and, when some went wrong, a summary line; the exit code follows
 * {@link batchExitCode}, or is 130 (thrown) when Ctrl-C cut the batch short.
 */
function finish(ctx: CommandContext, outcomes: Reported[], single: boolean, waitSeconds: number, failure?: Verdict): number {
  const interrupted = ctx.signal.aborted;
  const failed = outcomes.find((o) => !o.sent && !o.interrupted);
  if (ctx.out.json) {
    ctx.out.jsonResult(outcomes.map(({ exitCode, failure, ...rest }) => rest));
  } else if (single && failed?.failure && !interrupted) {
    // One execution: its error is the command's error, as it was raised (type, hint, request id).
    throw failed.failure;
  } else {
    const { style } = ctx.out;
    const past = { approve: "Approved", reject: "Rejected", fail: "Failed" } as const;
    for (const o of outcomes) {
      const name = o.stack ? `${o.stack}/${o.name}` : o.name;
      if (!o.sent) {
        ctx.out.result(`${style.red("✖")} ${safeText(`${name}: ${o.error}`)}`);
        continue;
      }
      const lost = o.replyLost ? " (its reply was lost, but Step Functions recorded this decision)" : "";
      const end = o.result ? ` ${describeEnd(o.result, waitSeconds)}` : o.error ? ` (${safeText(o.error)})` : "";
      ctx.out.result(`${o.exitCode === 0 ? style.green("✔") : style.yellow("!")} ${past[o.decision]} ${safeText(name)}${lost}${end}`);
    }
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
  if (interrupted) throw interruptedBatch(ctx, outcomes, failure);
  return batchExitCode(outcomes);
}

/**
 * Ctrl-C cut the batch short: how many decisions were sent, and the command that sends the rest (the
 * same stack, flags and, for fail, the same error and cause).
 */
function interruptedBatch(scope: Scope, outcomes: Reported[], failure?: Verdict): InterruptedError {
  const sent = outcomes.filter((o) => o.sent).length;
  const skipped = outcomes.filter((o) => o.interrupted).map((o) => (o.stack ? `${o.stack}/${o.name}` : o.name));
  const kind = outcomes[0]?.decision ?? "approve";
  const reason =
    failure?.kind === "fail" ? ["--error", failure.error, ...(failure.cause !== undefined ? ["--cause", failure.cause] : [])] : [];
  return new InterruptedError(
    `Interrupted: ${sent} of ${outcomes.length} decision${outcomes.length === 1 ? "" : "s"} sent, ${skipped.length} not sent.`,
    skipped.length ? `Send the rest with \`${suggestCommand(scope, [kind, ...skipped.map(operand), ...reason])}\`.` : undefined,
  );
}
