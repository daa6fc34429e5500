import type { ChalkInstance } from "chalk";
import type { Verdict } from "../core/executions/decide.js";
import type { FollowResult } from "../core/executions/follow.js";
import { findWaitingExecutions } from "../core/executions/waiting.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import type { OpenWorkflow } from "../core/workflow/open.js";
import { NotFoundError } from "../errors.js";
import { safeJson, safeText } from "../lib/safe-text.js";
import { fitTable } from "../output/fit.js";
import { leftUntil, summarizeInput } from "../output/format.js";
import type { CommandContext } from "./context.js";

/**
 * What is about to be sent, shown above the confirmation: the API call, its exact payload and
 * every execution it goes to.
 */
export function previewLines(verdict: Verdict, names: string[], style: ChalkInstance): string[] {
  const call = verdict.kind === "fail" ? "SendTaskFailure" : "SendTaskSuccess";
  const payload =
    verdict.kind === "fail"
      ? [
          `  error   ${safeJson(JSON.stringify(verdict.error))}`,
          `  cause   ${verdict.cause === undefined ? "(none)" : safeJson(JSON.stringify(verdict.cause))}`,
        ]
      : [`  output  ${safeText(verdict.output)}`];
  const [first, ...rest] = names.map(safeText);
  return [
    `${style.bold(call)} to ${names.length === 1 ? "1 execution" : `${names.length} executions`}:`,
    ...payload.map((line) => style.cyan(line)),
    `  to      ${first ?? ""}`,
    ...rest.map((name) => `          ${name}`),
  ];
}

/** The confirmation question: "Approve ApprovalTest?", "Reject 3 executions?". */
export function question(kind: Verdict["kind"], names: string[]): string {
  const verb = { approve: "Approve", reject: "Reject", fail: "Fail" }[kind];
  return `${verb} ${names.length === 1 ? safeText(names[0] ?? "") : `${names.length} executions`}?`;
}

/** How a followed execution ended, after the arrow: "→ ApprovedPassState, SUCCEEDED". */
export function describeEnd(result: FollowResult, timeoutSeconds: number): string {
  // State names come from the definition, the error from whoever failed the execution: untrusted.
  const where = result.lastState ? ` in ${safeText(result.lastState)}` : "";
  if (!result.finished) return `→ still RUNNING${where} after ${timeoutSeconds} s`;
  if (result.branch && result.status === "SUCCEEDED") return `→ ${safeText(result.branch)}, ${result.status}`;
  return `→ ${result.status}${where}${result.error ? ` (${safeText(result.error)})` : ""}`;
}

/**
 * At a terminal with no execution named: let the user pick from those waiting, newest first,
 * one aligned line each (name, comment, time left); several may be picked.
 */
export async function pickWaiting(ctx: CommandContext, open: OpenWorkflow, kind: Verdict["kind"]): Promise<string[]> {
  const progress = ctx.out.progress("Reading waiting executions…");
  const pending = await findWaitingExecutions(open.sfn, open.stateMachineArn, open.workflow).finally(() => progress.stop());
  if (pending.length === 0) {
    throw new NotFoundError(
      "No executions are waiting for a decision.",
      `Start one with \`${suggestCommand(ctx, ["start", "--input", placeholder("file")])}\`.`,
    );
  }
  const now = ctx.now();
  const rows = pending.map((p) => [p.name, summarizeInput(p.input, 60), p.expiresAt ? leftUntil(p.expiresAt, now) : ""]);
  const table = [
    { head: "NAME", shrink: { order: 2, min: 14, cut: "middle" as const } },
    { head: "COMMENT", shrink: { order: 1, min: 8, cut: "end" as const } },
    { head: "TIME LEFT" },
  ];
  // The answer line echoes names only, not whole rows.
  const values = pending.map((p) => ({ value: p.executionArn, short: safeText(p.name) }));
  return pickRows(ctx, kind, table, rows, values);
}

/** A picker's choice: what picking it returns, and what the answer line echoes. */
export interface PickerValue<T> {
  value: T;
  short: string;
}

/**
 * The checkbox both pickers use: the rows are laid out as a table fitted to the terminal, its header
 * dropped, so the choices are aligned with each other. The prompt draws on stderr, with a pointer and
 * a checkbox before each row: they need 4 columns.
 */
export async function pickRows<T>(
  ctx: CommandContext,
  kind: Verdict["kind"],
  table: Parameters<typeof fitTable>[0],
  rows: string[][],
  values: PickerValue<T>[],
): Promise<T[]> {
  const width = ctx.out.errorWidth;
  const lines = fitTable(table, rows, width && width - 4).slice(1);
  const { checkbox } = await import("../output/prompts.js");
  return ctx.out.prompt((context) =>
    checkbox(
      {
        message: `Executions to ${kind} (space selects, enter confirms)`,
        required: true,
        pageSize: 15,
        choices: values.map((v, i) => ({ value: v.value, name: lines[i] ?? v.short, short: v.short })),
      },
      context,
    ),
  );
}
