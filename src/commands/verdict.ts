import type { Context } from "../context.js";
import { mapLimit } from "../core/concurrency.js";
import { requireWaiting, sendVerdict, type Verdict, verdictFor } from "../core/decide.js";
import type { Decision } from "../core/definition.js";
import { executionName, findWaitingExecutions, resolveExecutionArn, validateExecutionName } from "../core/executions.js";
import { ApprovalsError, ExitCode, UsageError } from "../errors.js";
import { duration, summarizeInput } from "../output/format.js";
import { type OpenWorkflow, openWorkflow } from "./common.js";

/** What happened to one execution of a decision command. */
interface Outcome {
  name: string;
  executionArn: string;
  decision: Verdict["kind"];
  sent: boolean;
  error?: string;
  exitCode: number;
}

/** Options of approve, reject and fail. */
export interface VerdictOptions {
  /** fail: `--error <code>`. */
  error?: string;
  /** fail: `--cause <text>`. */
  cause?: string;
}

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
  checkNames(names);
  if (names.length === 0 && !ctx.out.interactive) {
    throw new UsageError(`Name the execution to ${kind}.`, `Example: approvals ${kind} ApprovalTest (list them with approvals pending)`);
  }
  const open = await openWorkflow(ctx);
  const { sfn, stateMachineArn, workflow } = open;
  const verdict: Verdict = kind === "fail" ? { kind, error: options.error ?? "", cause: options.cause ?? "" } : verdictFor(workflow, kind);
  // The same execution named twice (as a name and as an ARN, say) is decided once.
  const arns = names.length ? [...new Set(names.map((n) => resolveExecutionArn(stateMachineArn, n)))] : await pick(ctx, open, kind);

  // Read every execution first: nothing is sent unless it waits.
  const targets = await mapLimit(arns, SEND_CONCURRENCY, async (arn) => {
    try {
      return { arn, token: (await requireWaiting(sfn, arn, workflow)).waiting.token };
    } catch (error) {
      return { arn, error };
    }
  });
  const ready = targets.filter((t): t is { arn: string; token: string } => "token" in t);
  const refused: Outcome[] = targets.flatMap((t) => ("error" in t ? [failedOutcome(ctx, t.arn, kind, t.error)] : []));
  if (ready.length === 0) return finish(ctx, refused, names.length === 1);

  await ctx.out.confirm(
    confirmMessage(
      verdict,
      ready.map((t) => executionName(t.arn)),
    ),
    `${kind} ${ready.length === 1 ? "this execution" : "these executions"}`,
  );
  const sent = await mapLimit(ready, SEND_CONCURRENCY, async ({ arn, token }): Promise<Outcome> => {
    try {
      await sendVerdict(sfn, arn, token, verdict, workflow);
      return { name: executionName(arn), executionArn: arn, decision: kind, sent: true, exitCode: 0 };
    } catch (error) {
      return failedOutcome(ctx, arn, kind, error);
    }
  });
  return finish(ctx, [...refused, ...sent], names.length === 1);
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
  };
}

function checkFailure(options: VerdictOptions): void {
  if (!options.error?.trim()) throw new UsageError("--error must not be empty.");
  if ([...options.error].length > 256) throw new UsageError("--error is longer than 256 characters, Step Functions' limit.");
  if ([...(options.cause ?? "")].length > 32768) throw new UsageError("--cause is longer than 32768 characters, Step Functions' limit.");
}

function confirmMessage(verdict: Verdict, names: string[]): string {
  const what =
    verdict.kind === "fail"
      ? `SendTaskFailure error=${JSON.stringify(verdict.error)} cause=${JSON.stringify(verdict.cause)}`
      : `SendTaskSuccess ${verdict.output}`;
  return `Send ${what} to ${names.length === 1 ? names[0] : `${names.length} executions (${names.join(", ")})`}?`;
}

/** Report each outcome; the exit code is the first failure's, or 0. */
function finish(ctx: Context, outcomes: Outcome[], single: boolean): number {
  const failed = outcomes.find((o) => !o.sent);
  if (ctx.out.json) {
    ctx.out.jsonResult(outcomes.map(({ exitCode, ...rest }) => rest));
  } else if (single && failed) {
    // One execution: its error is the command's error.
    throw new ApprovalsError(
      failed.error ?? "Nothing was sent.",
      "Run `approvals pending` to list the executions waiting.",
      failed.exitCode,
    );
  } else {
    const { style } = ctx.out;
    const past = { approve: "Approved", reject: "Rejected", fail: "Failed" } as const;
    for (const o of outcomes) {
      if (o.sent) ctx.out.result(`${style.green("✔")} ${past[o.decision]} ${o.name}`);
      else ctx.out.result(`${style.red("✖")} ${o.name}: ${o.error}`);
    }
  }
  return failed?.exitCode ?? 0;
}

/** At a terminal with no execution named: let the user pick from those waiting, newest first. */
async function pick(ctx: Context, open: OpenWorkflow, kind: string): Promise<string[]> {
  const pending = await findWaitingExecutions(open.sfn, open.stateMachineArn, open.workflow);
  if (pending.length === 0) throw new ApprovalsError("No executions are waiting for a decision.", undefined, ExitCode.NOT_FOUND);
  const { checkbox } = await import("@inquirer/prompts");
  const now = ctx.now();
  try {
    return await checkbox(
      {
        message: `Executions to ${kind} (space to select, enter to confirm)`,
        required: true,
        choices: pending.map((p) => ({
          value: p.executionArn,
          name: `${p.name}  ${summarizeInput(p.input, 40)}  ${p.expiresAt ? `${duration(p.expiresAt.getTime() - now.getTime())} left` : ""}`.trimEnd(),
        })),
      },
      { input: ctx.out.streams.stdin, output: ctx.out.streams.stderr },
    );
  } catch (error) {
    if ((error as Error).name === "ExitPromptError")
      throw new ApprovalsError("Interrupted: nothing was sent.", undefined, ExitCode.INTERRUPTED);
    throw error;
  }
}
