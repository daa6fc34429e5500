import type { CommandContext } from "../context.js";
import type { Verdict } from "../core/executions/decide.js";
import { followDecisions, type Outcome, readTargets, sendDecisions } from "../core/executions/decide-batch.js";
import { executionName, resolveExecutionArn, validateExecutionName } from "../core/executions/names.js";
import type { Decision } from "../core/workflow/definition.js";
import { openWorkflow } from "../core/workflow/open.js";
import { InterruptedError, UsageError } from "../errors.js";
import { describeEnd, pickWaiting, previewLines, question } from "../output/verdict.js";

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
}

/** `--wait-timeout` when not given. */
const DEFAULT_WAIT_SECONDS = 300;

/** Check every name locally before anything is sent. */
function checkNames(names: string[]): void {
  for (const name of names) if (!name.startsWith("arn:")) validateExecutionName(name);
}

/**
 * approve, reject and fail: find the token of each waiting execution, confirm the exact payload,
 * send it, and report each execution's result.
 */
export async function runVerdict(ctx: CommandContext, kind: Decision | "fail", names: string[], options: VerdictOptions): Promise<number> {
  if (kind === "fail") checkFailure(options);
  const waitSeconds = checkWaitTimeout(options);
  checkNames(names);
  if (names.length === 0 && !ctx.out.interactive) {
    throw new UsageError(`Name the execution to ${kind}.`, `Example: approvals ${kind} ApprovalTest (list them with approvals pending)`);
  }
  const open = await openWorkflow(ctx);
  const failure: Verdict | undefined = kind === "fail" ? { kind, error: options.error ?? "", cause: options.cause ?? "" } : undefined;
  // The same execution named twice (as a name and as an ARN, say) is decided once.
  const arns = names.length
    ? [...new Set(names.map((n) => resolveExecutionArn(open.stateMachineArn, n)))]
    : await pickWaiting(ctx, open, kind);

  const { ready, refused } = await readTargets(ctx, open, arns, kind, failure);
  if (ctx.signal.aborted) throw new InterruptedError("Interrupted: nothing was sent.");
  if (ready.length === 0) return finish(ctx, refused, names.length === 1, waitSeconds);

  // The exact payload and every execution are shown before the question, not after the fact.
  if (ctx.out.interactive) {
    for (const [payload, group] of groupBy(ready, (t) => JSON.stringify(t.verdict))) {
      for (const line of previewLines(
        JSON.parse(payload),
        group.map((t) => executionName(t.arn)),
        ctx.out.style,
      ))
        ctx.out.info(line);
    }
  }
  const readyNames = ready.map((t) => executionName(t.arn));
  await ctx.out.confirm(question(kind, readyNames), `${kind} ${ready.length === 1 ? "this execution" : "these executions"}`);
  const sent = await sendDecisions(ctx, kind, ready);
  // Interrupted: report what was sent now; following would only wait longer.
  if (options.wait && !ctx.signal.aborted) {
    const followed = sent.filter((o) => o.sent);
    const progress = ctx.out.progress(
      `Waiting for ${followed.length === 1 ? followed[0]?.name : `${followed.length} executions`} to end…`,
      {
        elapsed: true,
      },
    );
    await followDecisions(ctx, open, sent, waitSeconds).finally(() => progress.stop());
  }
  // Reported in the order the executions were named (or picked).
  const order = new Map(arns.map((arn, i) => [arn, i]));
  const outcomes = [...refused, ...sent].sort((a, b) => (order.get(a.executionArn) ?? 0) - (order.get(b.executionArn) ?? 0));
  return finish(ctx, outcomes, names.length === 1, waitSeconds);
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
 * Report each outcome. The exit code is that of the first execution nothing was sent to, else of
 * the first whose `--wait` did not end well, else 0; 130 (thrown) when Ctrl-C cut the batch short.
 */
function finish(ctx: CommandContext, outcomes: Outcome[], single: boolean, waitSeconds: number): number {
  const interrupted = ctx.signal.aborted;
  const failed = outcomes.find((o) => !o.sent && !o.interrupted);
  const worst = failed ?? outcomes.find((o) => o.exitCode !== 0);
  if (ctx.out.json) {
    ctx.out.jsonResult(outcomes.map(({ exitCode, failure, ...rest }) => rest));
  } else if (single && failed?.failure && !interrupted) {
    // One execution: its error is the command's error, as it was raised (type, hint, request id).
    throw failed.failure;
  } else {
    const { style } = ctx.out;
    const past = { approve: "Approved", reject: "Rejected", fail: "Failed" } as const;
    for (const o of outcomes) {
      if (!o.sent) {
        ctx.out.result(`${style.red("✖")} ${o.name}: ${o.error}`);
        continue;
      }
      const lost = o.replyLost ? " (its reply was lost, but Step Functions recorded this decision)" : "";
      const end = o.result ? ` ${describeEnd(o.result, waitSeconds)}` : o.error ? ` (${o.error})` : "";
      ctx.out.result(`${o.exitCode === 0 ? style.green("✔") : style.yellow("!")} ${past[o.decision]} ${o.name}${lost}${end}`);
    }
    if (outcomes.some((o) => o.result && !o.result.finished)) {
      ctx.out.info(`${style.dim("hint:")} the decision was sent; see where it is with \`approvals show <name>\`.`);
    }
  }
  if (interrupted) throw interruptedBatch(outcomes);
  return worst?.exitCode ?? 0;
}

/** Ctrl-C cut the batch short: how many decisions were sent, and how to send the rest. */
function interruptedBatch(outcomes: Outcome[]): InterruptedError {
  const sent = outcomes.filter((o) => o.sent).length;
  const skipped = outcomes.filter((o) => o.interrupted);
  const kind = outcomes[0]?.decision ?? "approve";
  return new InterruptedError(
    `Interrupted: ${sent} of ${outcomes.length} decision${outcomes.length === 1 ? "" : "s"} sent, ${skipped.length} not sent.`,
    skipped.length
      ? `Send the rest with \`approvals ${kind} ${skipped.map((o) => o.name).join(" ")}${kind === "fail" ? " --error <code> --cause <text>" : ""}\`.`
      : undefined,
  );
}
