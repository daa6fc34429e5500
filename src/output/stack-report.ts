import type { StackEvent } from "../aws/cloudformation.js";
import type { StackReport } from "../core/stack/checks.js";
import { isFailedResourceStatus } from "../core/stack/status.js";
import { safeText } from "../lib/safe-text.js";
import { displayWidth, wrapToWidth } from "./display-width.js";
import { cut, type FitColumn, fitTable } from "./fit.js";
import type { Output } from "./output.js";

/** The value gives way at a terminal, cut in the middle: an ARN keeps its start and its name's end. */
const OUTPUTS: FitColumn[] = [{ head: "OUTPUT" }, { head: "VALUE", shrink: { order: 1, min: 20, cut: "middle" } }];

/**
 * Print the outputs table and the checklist of confirmations, fitted to `width` columns when given
 * (a terminal; `--json` or a pipe has every value whole). A present output's value is in the table
 * already, so its check only says it is there.
 */
export function printStackReport(out: Output, report: StackReport, width?: number): void {
  const { style } = out;
  out.result(style.bold(safeText(`Stack ${report.stackName}: ${report.status}`)));
  for (const line of fitTable(OUTPUTS, Object.entries(report.outputs), width)) out.result(line);
  out.result();
  for (const check of report.checks) {
    const shown = check.ok && check.name.startsWith("output ") ? "" : `: ${safeText(check.detail)}`;
    const text = `${safeText(check.name)}${shown}`;
    const [first = "", ...rest] = width === undefined ? [text] : wrapToWidth(text, width - 2, "  ");
    out.result(`${check.ok ? style.green("✔") : style.red("✖")} ${first}`);
    for (const line of rest) out.result(`  ${line}`);
  }
}

/** Whether a resource event ends that resource's part of the operation (complete, failed, skipped). */
export function isFinishedEvent(event: StackEvent): boolean {
  const status = event.ResourceStatus ?? "";
  return !status.endsWith("_IN_PROGRESS");
}

/** Widths that keep event lines aligned for the template's resources. */
const STATUS_WIDTH = 20;
const LOGICAL_ID_WIDTH = 36;

/**
 * One line for a resource event: time (UTC), status coloured by outcome, logical id, type, and
 * the reason of a failure. At a terminal of `width` columns the reason, then the type, then the
 * logical id give way (the failure summary after a failed deploy has every reason whole).
 */
export function formatStackEvent(out: Output, event: StackEvent, width?: number): string {
  const { style } = out;
  const status = safeText(event.ResourceStatus ?? "");
  const failed = isFailedResourceStatus(status) || status.includes("ROLLBACK");
  const colour = failed ? style.red : status.endsWith("_COMPLETE") ? style.green : style.yellow;
  const time = event.Timestamp?.toISOString().slice(11, 19) ?? "";
  let reason = isFailedResourceStatus(status) && event.ResourceStatusReason ? `  ${safeText(event.ResourceStatusReason)}` : "";
  let id = safeText(event.LogicalResourceId ?? "");
  let type = safeText(event.ResourceType ?? "");
  let idWidth = LOGICAL_ID_WIDTH;
  if (width !== undefined) {
    // What is left after the time and the status, for the id, a space, the type and the reason.
    const room = width - (time.length + 2 + Math.max(STATUS_WIDTH, status.length) + 1);
    const rest = () => displayWidth(id) + 1 + displayWidth(type);
    if (rest() > room) type = cut(type, Math.max(12, room - 1 - displayWidth(id)), "middle");
    if (rest() > room) id = cut(id, Math.max(1, room - 1 - displayWidth(type)), "middle");
    // The id's padding keeps the types aligned while it fits; the reason takes what is left.
    idWidth = Math.max(displayWidth(id), Math.min(LOGICAL_ID_WIDTH, room - 1 - displayWidth(type)));
    reason = cut(reason, Math.max(0, room - idWidth - 1 - displayWidth(type)), "end");
    if (reason.trim() === "" || reason.trim() === "…") reason = "";
  }
  // Padded after neutralising, so the columns line up with what is shown.
  const line = `${style.dim(time)}  ${colour(status.padEnd(STATUS_WIDTH))} ${id}${" ".repeat(Math.max(0, idWidth - displayWidth(id)))} ${style.dim(type)}`;
  return `${line}${reason ? style.red(reason) : ""}`.trimEnd();
}

/** The spinner's text while a stack operation runs: what it does and the latest event. */
export function stackProgressText(verb: string, stackName: string, latest?: StackEvent): string {
  const tail = latest ? ` · ${latest.LogicalResourceId} ${latest.ResourceStatus}` : "";
  return safeText(`${verb} ${stackName}${tail}`);
}
