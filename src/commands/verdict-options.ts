import { REASON_LIMIT } from "../core/workflow/decision-record.js";
import { UsageError } from "../errors.js";
import type { CommandContext } from "./context.js";

export type { VerdictOptions } from "./verdict.spec.js";

/** `--wait-timeout` when not given. */
const DEFAULT_WAIT_SECONDS = 300;

/** Control characters a reason may not hold: all but the line break and the tab. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Check `--reason` and `--exact-payload` before anything is sent: a reason only on approve and
 * reject, not empty, at most {@link REASON_LIMIT} characters, one line or several, with no control
 * character but line breaks and tabs; `--exact-payload` sends no record, so it takes no reason.
 * Throws a {@link UsageError} (exit 2). The reason is kept trimmed.
 */
export function checkReason(kind: string, options: { reason?: string; exactPayload?: boolean }): void {
  if (options.reason === undefined) return;
  if (kind === "fail") throw new UsageError("--reason applies to approve and reject; fail records its --cause.");
  if (options.exactPayload) {
    throw new UsageError("--reason cannot be combined with --exact-payload: the exact payload is the email's Status alone.");
  }
  options.reason = reasonProblem(options.reason);
}

/** The reason trimmed, or a {@link UsageError} saying what is wrong with it. */
function reasonProblem(text: string): string {
  const reason = text.trim();
  if (!reason) throw new UsageError("--reason must not be empty.", 'Example: --reason "checked the release notes"');
  if ([...reason].length > REASON_LIMIT) throw new UsageError(`--reason is longer than ${REASON_LIMIT} characters.`);
  if (CONTROL.test(reason)) throw new UsageError("--reason holds a control character: only line breaks and tabs are kept.");
  return reason;
}

/** At a terminal, `reject` asks why (Enter skips); elsewhere, or with no answer, no reason. */
export async function askReason(ctx: CommandContext): Promise<string | undefined> {
  if (!ctx.out.interactive) return undefined;
  const { input } = await import("../output/prompts.js");
  const answer = await ctx.out.prompt((context) =>
    input(
      {
        message: "Reason for rejecting (recorded with the decision; Enter skips)",
        validate: (value: string) => {
          if (!value.trim()) return true;
          try {
            reasonProblem(value);
            return true;
          } catch (error) {
            return (error as Error).message.replace("--reason", "The reason");
          }
        },
      },
      context,
    ),
  );
  return answer.trim() ? reasonProblem(answer) : undefined;
}

/** `--wait-timeout` in seconds (default 300); refused without `--wait` or when not a positive number (exit 2). */
export function checkWaitTimeout(options: { wait?: boolean; waitTimeout?: string }): number {
  if (options.waitTimeout === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(options.waitTimeout);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--wait-timeout ${options.waitTimeout} is not a positive number of seconds.`, "Example: --wait --wait-timeout 60");
  }
  if (!options.wait) throw new UsageError("--wait-timeout applies only with --wait.", "Example: --wait --wait-timeout 60");
  return seconds;
}

/** fail's `--error` (not empty, at most 256 characters) and `--cause` (at most 32,768), Step Functions' limits (exit 2). */
export function checkFailure(options: { error?: string; cause?: string }): void {
  if (!options.error?.trim()) throw new UsageError("--error must not be empty.");
  if ([...options.error].length > 256) throw new UsageError("--error is longer than 256 characters, Step Functions' limit.");
  if ([...(options.cause ?? "")].length > 32768) throw new UsageError("--cause is longer than 32768 characters, Step Functions' limit.");
}
