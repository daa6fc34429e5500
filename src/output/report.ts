import type { StackEvent } from "@aws-sdk/client-cloudformation";
import type { StackReport } from "../core/checks.js";
import { isFailedResourceStatus } from "../core/stack-status.js";
import { columns } from "./format.js";
import type { Output } from "./output.js";

/** Print the outputs table and the checklist of confirmations. */
export function printStackReport(out: Output, report: StackReport): void {
  const { style } = out;
  out.result(style.bold(`Stack ${report.stackName}: ${report.status}`));
  out.result(
    columns(
      ["OUTPUT", "VALUE"],
      Object.entries(report.outputs).map(([k, v]) => [k, v]),
    ),
  );
  out.result();
  for (const check of report.checks) {
    out.result(`${check.ok ? style.green("✔") : style.red("✖")} ${check.name}: ${check.detail}`);
  }
}

/** One line for a resource event: time, resource, type, status, and the reason of a failure. */
export function formatStackEvent(out: Output, event: StackEvent): string {
  const { style } = out;
  const status = event.ResourceStatus ?? "";
  const colour =
    isFailedResourceStatus(status) || status.includes("ROLLBACK") ? style.red : status.endsWith("_COMPLETE") ? style.green : style.yellow;
  const time = event.Timestamp?.toISOString().slice(11, 19) ?? "";
  const reason = isFailedResourceStatus(status) && event.ResourceStatusReason ? ` ${style.red(event.ResourceStatusReason)}` : "";
  return `${style.dim(time)}  ${colour(status.padEnd(20))} ${event.ResourceType ?? ""} ${event.LogicalResourceId ?? ""}${reason}`;
}
