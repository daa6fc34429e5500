import type { Context } from "../context.js";
import { requireWaiting, sendVerdict, type Verdict, verdictFor } from "../core/executions/decide.js";
import { type FollowResult, followExecution } from "../core/executions/follow.js";
import { executionName, resolveExecutionArn, validateExecutionName } from "../core/executions/names.js";
import { loadExecutionWorkflow } from "../core/stack/find.js";
import type { Decision } from "../core/workflow/definition.js";
import { type OpenWorkflow, openWorkflow } from "../core/workflow/open.js";
import { ApprovalsError, ExitCode, InterruptedError, UsageError } from "../errors.js";
import { mapLimit } from "../lib/async.js";
import { describeEnd, pickWaiting, previewLines, question } from "../output/verdict.js";

/** What happened to one execution of a decision command. */
interface Outcome {
  name: string;
  executionArn: string;
  decision: Verdict["kind"];
  sent: boolean;
  error?: string;
  /** With `--wait`: how the execution ended. */
  result?: FollowResult;
  exitCode: number;
  /** Why nothing was sent, kept whole (hint, request id) for the single-execution error. */
  failure?: ApprovalsError;
}

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

/** Sends in flight at once for a batch: well inside SendTaskSuccess's quota, gentle on an emulator. */
const SEND_CONCURRENCY = 10;

/** Check every name locally before anything is sent. */
function checkNames(names: string[]): void {
  for (const name of names) if (!name.startsWith("arn:")) validateExecutionName(name);
}

/**
 * approve, reject and fail: find the token of each waiting execution, confirm the exact payload,
 * send it, and report each execution's result.
 */
export async function runVerdict(ctx: Context, kind: Decision | "fail", names: string[], options: VerdictOptions): Promise<number> {
  if (kind === "fail") checkFailure(options);
  const waitSeconds = checkWaitTimeout(options);
  checkNames(names);
  if (names.length === 0 && !ctx.out.interactive) {
    throw new UsageError(`Name the execution to ${kind}.`, `Example: approvals ${kind} ApprovalTest (list them with approvals pending)`);
  }
  const open = await openWorkflow(ctx);
  const { sfn, stateMachineArn, workflow } = open;
  const failure: Verdict | undefined = kind === "fail" ? { kind, error: options.error ?? "", cause: options.cause ?? "" } : undefined;
  // The same execution named twice (as a name and as an ARN, say) is decided once.
  const arns = names.length ? [...new Set(names.map((n) => resolveExecutionArn(stateMachineArn, n)))] : await pickWaiting(ctx, open, kind);

  // Read every execution first: nothing is sent unless it waits. Each is decided with the Choice
  // strings of the definition it runs on, which an update since its start may have changed.
  const targets = await mapLimit(arns, SEND_CONCURRENCY, async (arn) => {
    try {
      const own = (await loadExecutionWorkflow(sfn, arn)) ?? workflow;
      const { waiting } = await requireWaiting(sfn, arn, own);
      return { arn, token: waiting.token, workflow: own, verdict: failure ?? verdictFor(own, kind as Decision) };
    } catch (error) {
      return { arn, error };
    }
  });
  const ready = targets.filter((t): t is Extract<(typeof targets)[number], { token: string }> => "token" in t);
  const refused: Outcome[] = targets.flatMap((t) => ("error" in t ? [failedOutcome(ctx, t.arn, kind, t.error)] : []));
  if (ready.length === 0) return finish(ctx, refused, names.length === 1, waitSeconds);

  const readyNames = ready.map((t) => executionName(t.arn));
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
  await ctx.out.confirm(question(kind, readyNames), `${kind} ${ready.length === 1 ? "this execution" : "these executions"}`);
  const sent = await mapLimit(ready, SEND_CONCURRENCY, async ({ arn, token, verdict, workflow: own }): Promise<Outcome> => {
    try {
      await sendVerdict(sfn, arn, token, verdict, own);
      return { name: executionName(arn), executionArn: arn, decision: kind, sent: true, exitCode: 0 };
    } catch (error) {
      return failedOutcome(ctx, arn, kind, error);
    }
  });
  if (options.wait) await followAll(ctx, open, sent, waitSeconds);
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

/** `--wait`: follow every execution that was sent a decision to its end, in parallel (bounded). */
async function followAll(ctx: Context, open: OpenWorkflow, outcomes: Outcome[], waitSeconds: number): Promise<void> {
  const followed = outcomes.filter((o) => o.sent);
  const progress = ctx.out.progress(`Waiting for ${followed.length === 1 ? followed[0]?.name : `${followed.length} executions`} to end…`, {
    elapsed: true,
  });
  try {
    await mapLimit(followed, SEND_CONCURRENCY, async (outcome) => {
      try {
        outcome.result = await followExecution(open.sfn, outcome.executionArn, open.workflow, {
          timeoutMs: waitSeconds * 1000,
          signal: ctx.signal,
        });
        // A wait that ran out is not an answer: a script must not take it for one.
        if (!outcome.result.finished) outcome.exitCode = ExitCode.FAILED;
      } catch (error) {
        if (ctx.signal?.aborted) throw interruptedWait(followed.map((o) => o.name));
        outcome.exitCode = ExitCode.FAILED;
        outcome.error = `sent, but following it failed: ${(error as Error).message}`;
      }
    });
  } finally {
    progress.stop();
  }
}

/** Ctrl-C during --wait: the decisions were sent; only the CLI stopped watching. */
function interruptedWait(names: string[]): InterruptedError {
  const list = names.join(", ");
  return new InterruptedError(
    `Interrupted: stopped waiting. The decision for ${list} was sent; ${names.length === 1 ? "the execution goes" : "the executions go"} on at AWS.`,
    `See where ${names.length === 1 ? "it" : "each"} ended with \`approvals show ${names[0]}\`.`,
  );
}

function failedOutcome(ctx: Context, arn: string, kind: Verdict["kind"], error: unknown): Outcome {
  const known = error instanceof ApprovalsError;
  if (!known) ctx.out.debug(String((error as Error)?.stack ?? error));
  return {
    name: executionName(arn),
    executionArn: arn,
    decision: kind,
    sent: false,
    error: known ? error.message : String((error as Error)?.message ?? error),
    exitCode: known ? error.exitCode : ExitCode.FAILED,
    ...(known ? { failure: error } : {}),
  };
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

/** Report each outcome; the exit code is the first failure's, or 0. */
function finish(ctx: Context, outcomes: Outcome[], single: boolean, waitSeconds: number): number {
  const failed = outcomes.find((o) => !o.sent);
  const worst = failed ?? outcomes.find((o) => o.exitCode !== 0);
  if (ctx.out.json) {
    ctx.out.jsonResult(outcomes.map(({ exitCode, failure, ...rest }) => rest));
  } else if (single && failed) {
    // One execution: its error is the command's error, with its own hint when it has one.
    if (failed.failure?.hint) throw failed.failure;
    throw new ApprovalsError(
      failed.error ?? "Nothing was sent.",
      "Run `approvals pending` to list the executions waiting.",
      failed.exitCode,
    );
  } else {
    const { style } = ctx.out;
    const past = { approve: "Approved", reject: "Rejected", fail: "Failed" } as const;
    for (const o of outcomes) {
      if (!o.sent) {
        ctx.out.result(`${style.red("✖")} ${o.name}: ${o.error}`);
        continue;
      }
      const end = o.result ? ` ${describeEnd(o.result, waitSeconds)}` : o.error ? ` (${o.error})` : "";
      ctx.out.result(`${o.exitCode === 0 ? style.green("✔") : style.yellow("!")} ${past[o.decision]} ${o.name}${end}`);
    }
    if (outcomes.some((o) => o.result && !o.result.finished)) {
      ctx.out.info(`${style.dim("hint:")} the decision was sent; see where it is with \`approvals show <name>\`.`);
    }
  }
  return worst?.exitCode ?? 0;
}
