import type { StackEvent } from "@aws-sdk/client-cloudformation";
import type { StackReport } from "../core/stack/checks.js";
import { isFailedResourceStatus } from "../core/stack/status.js";
import { columns } from "./format.js";
import type { Output } from "./output.js";
import { safeText } from "./safe-text.js";

/** Print the outputs table and the checklist of confirmations. */
export function printStackReport(out: Output, report: StackReport): void {
  const { style } = out;
  out.result(style.bold(safeText(`Stack ${report.stackName}: ${report.status}`)));
  out.result(
    columns(
      ["OUTPUT", "VALUE"],
      Object.entries(report.outputs).map(([k, v]) => [safeText(k), safeText(v)]),
    ),
  );
  out.result();
  for (const check of report.checks) {
    out.result(`${check.ok ? style.green("✔") : style.red("✖")} ${check.name}: ${safeText(check.detail)}`);
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
 * the reason of a failure.
 */
export function formatStackEvent(out: Output, event: StackEvent): string {
  const { style } = out;
  const status = safeText(event.ResourceStatus ?? "");
  const failed = isFailedResourceStatus(status) || status.includes("ROLLBACK");
  const colour = failed ? style.red : status.endsWith("_COMPLETE") ? style.green : style.yellow;
  const time = event.Timestamp?.toISOString().slice(11, 19) ?? "";
  const reason = isFailedResourceStatus(status) && event.ResourceStatusReason ? `  ${style.red(safeText(event.ResourceStatusReason))}` : "";
  // Padded after neutralising, so the columns line up with what is shown.
  const id = safeText(event.LogicalResourceId ?? "").padEnd(LOGICAL_ID_WIDTH);
  return `${style.dim(time)}  ${colour(status.padEnd(STATUS_WIDTH))} ${id} ${style.dim(safeText(event.ResourceType ?? ""))}${reason}`.trimEnd();
}

/** The spinner's text while a stack operation runs: what it does and the latest event. */
export function stackProgressText(verb: string, stackName: string, latest?: StackEvent): string {
  const tail = latest ? ` · ${latest.LogicalResourceId} ${latest.ResourceStatus}` : "";
  return safeText(`${verb} ${stackName}${tail}`);
}
