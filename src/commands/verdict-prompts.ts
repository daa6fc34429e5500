import type { ChalkInstance } from "chalk";
import type { Verdict } from "../core/executions/decide.js";
import type { PayloadPreview, Reported } from "../core/executions/decisions.js";
import type { FollowResult } from "../core/executions/follow.js";
import type { PickableExecutions } from "../core/executions/pick-waiting.js";
import type { NamedExecution } from "../core/executions/targets.js";
import { safeJson, safeText } from "../lib/safe-text.js";
import { fitTable } from "../output/fit.js";
import { leftUntil, summarizeInput } from "../output/format.js";
import type { CommandContext } from "./context.js";

/**
 * What is about to be sent, shown above the confirmation: the API call, its exact payload and
 * every execution it goes to (when each gets its own DecisionId, the one shown is the first's).
 */
export function previewLines(preview: PayloadPreview, style: ChalkInstance): string[] {
  const { verdict, names } = preview;
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
    ...(preview.idPerExecution ? [style.dim("          (each execution gets a DecisionId of its own)")] : []),
    `  to      ${first ?? ""}`,
    ...rest.map((name) => `          ${name}`),
  ];
}

/** The confirmation question: "Approve ApprovalTest?", "Reject 3 executions?". */
export function question(kind: Verdict["kind"], names: string[]): string {
  const verb = { approve: "Approve", reject: "Reject", fail: "Fail" }[kind];
  return `${verb} ${names.length === 1 ? safeText(names[0] ?? "") : `${names.length} executions`}?`;
}

/**
 * One line per outcome of a decision command: ✔ for each decided (and, with --wait, ended), ! for
 * one sent whose wait ran out or whose following failed, ✖ with why for one not sent.
 */
export function outcomeLines(outcomes: readonly Reported[], style: ChalkInstance, waitSeconds: number): string[] {
  const past = { approve: "Approved", reject: "Rejected", fail: "Failed" } as const;
  return outcomes.map((o) => {
    const name = o.stack ? `${o.stack}/${o.name}` : o.name;
    if (!o.sent) return `${style.red("✖")} ${safeText(`${name}: ${o.error}`)}`;
    const lost = o.samePayload
      ? " (its reply was lost; Step Functions recorded a decision with the same payload, which may be this one)"
      : o.replyLost
        ? " (its reply was lost, but Step Functions recorded this decision)"
        : "";
    const end = o.result ? ` ${describeEnd(o.result, waitSeconds)}` : o.error ? ` (${safeText(o.error)})` : "";
    return `${o.exitCode === 0 ? style.green("✔") : style.yellow("!")} ${past[o.decision]} ${safeText(name)}${lost}${end}`;
  });
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
 * At a terminal with no execution named: let the user pick from those waiting, newest first, one
 * aligned line each (with `withStack` the stack first; name, comment, time left); several may be picked.
 */
export async function pickWaiting(
  ctx: CommandContext,
  found: PickableExecutions,
  kind: Verdict["kind"],
  withStack: boolean,
): Promise<NamedExecution[]> {
  const now = ctx.now();
  const rows = found.entries.map(({ stackName, pending: p }) => [
    ...(withStack ? [stackName] : []),
    p.name,
    summarizeInput(p.input, withStack ? 40 : 60),
    p.expiresAt ? leftUntil(p.expiresAt, now) : "",
  ]);
  const table = [
    ...(withStack ? [{ head: "STACK", shrink: { order: 3, min: 12, cut: "middle" as const } }] : []),
    { head: "NAME", shrink: { order: 2, min: 14, cut: "middle" as const } },
    { head: "COMMENT", shrink: { order: 1, min: 8, cut: "end" as const } },
    { head: "TIME LEFT" },
  ];
  // The answer line echoes names only, not whole rows.
  const values = found.entries.map((e) =>
    withStack
      ? { value: { stackName: e.stackName, name: e.pending.name, qualified: true }, short: safeText(`${e.stackName}/${e.pending.name}`) }
      : { value: { stackName: e.stackName, name: e.pending.executionArn, qualified: false }, short: safeText(e.pending.name) },
  );
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
