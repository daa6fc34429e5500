import type { Handler } from "../context.js";
import { redactTokens } from "../core/executions/history.js";
import { executionName, resolveExecutionArn, validateExecutionName } from "../core/executions/names.js";
import { type ExecutionReport, executionReport, readFullHistory, tokensIn } from "../core/executions/report.js";
import { expiryOf } from "../core/executions/waiting.js";
import type { Workflow } from "../core/workflow/definition.js";
import { allStateNames, traceExecution } from "../core/workflow/graph.js";
import { openWorkflow } from "../core/workflow/open.js";
import { awsErrorName, NotFoundError, toUserError } from "../errors.js";
import { duration } from "../output/format.js";
import { drawWorkflow, GRAPH_LEGEND } from "../output/graph.js";
import type { Output } from "../output/output.js";
import { drawTimeline } from "../output/timeline.js";

/** `approvals show <execution>`: status, the workflow graph marked with its path, and its timeline. */
export const handler: Handler<[string]> = async (ctx, [name]) => {
  if (!name.startsWith("arn:")) validateExecutionName(name);
  const { sfn, stateMachineArn, workflow } = await openWorkflow(ctx);
  const executionArn = resolveExecutionArn(stateMachineArn, name);
  const { DescribeExecutionCommand } = await import("@aws-sdk/client-sfn");
  const progress = ctx.out.progress(`Reading ${executionName(executionArn)}…`);
  let report: ExecutionReport;
  let tokens: string[];
  let lines: string[];
  try {
    const [execution, events] = await Promise.all([
      sfn.send(new DescribeExecutionCommand({ executionArn })),
      readFullHistory(sfn, executionArn),
    ]);
    report = executionReport(execution, events, workflow);
    tokens = tokensIn(events);
    lines = drawWorkflow({ ...workflow, trace: traceExecution(events, execution.status), status: execution.status }, ctx.out.style);
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw new NotFoundError(
        `Execution ${executionName(executionArn)} does not exist.`,
        "List executions waiting with `approvals pending`.",
      );
    }
    throw toUserError(error, `Reading execution ${executionName(executionArn)}`);
  } finally {
    progress.stop();
  }
  // Input and output are the user's data, but a token could have been copied into them.
  const safe = (value: unknown) => redactTokens(JSON.stringify(value, null, 2), tokens);
  if (ctx.out.json) {
    ctx.out.result(safe(report));
    return 0;
  }
  const waiting = waitingNote(report, workflow, ctx.now());
  printSummary(ctx.out, report, safe, tokens, waiting);
  ctx.out.result();
  ctx.out.result(ctx.out.style.bold("Workflow"));
  for (const line of lines) ctx.out.result(`  ${line}`);
  ctx.out.result(ctx.out.style.dim(`  ${GRAPH_LEGEND}`));
  // The graph is the deployed definition: an execution of an earlier one may have visited others.
  const known = allStateNames(workflow.states);
  const unknown = [...new Set(report.path.filter((state) => !known.has(state)))];
  if (unknown.length)
    ctx.out.result(ctx.out.style.yellow(`  Not in the deployed definition (an earlier version ran): ${unknown.join(", ")}`));
  ctx.out.result();
  ctx.out.result(ctx.out.style.bold("Timeline"));
  for (const line of drawTimeline(report.timeline, ctx.out.style)) ctx.out.result(`  ${line}`);
  if (waiting) ctx.out.info(ctx.out.style.dim(`Decide with: approvals approve ${report.name} | approvals reject ${report.name}`));
  return 0;
};

/** For an execution waiting at the callback state: how long it has waited and how long it has left. */
function waitingNote(report: ExecutionReport, workflow: Workflow, now: Date): string | undefined {
  if (report.status !== "RUNNING" || report.currentState !== workflow.callbackState || !report.startDate) return undefined;
  const scheduled = [...report.timeline].reverse().find((e) => e.type === "TaskScheduled" && e.state === workflow.callbackState)?.timestamp;
  if (!scheduled) return undefined;
  const since = new Date(scheduled);
  const expires = expiryOf(new Date(report.startDate), workflow, since);
  const left = expires ? `, ${duration(Math.max(0, expires.getTime() - now.getTime()))} left` : "";
  return `for a decision for ${duration(now.getTime() - since.getTime())}${left}`;
}

function printSummary(
  out: Output,
  report: ExecutionReport,
  safe: (value: unknown) => string,
  tokens: string[],
  waiting: string | undefined,
): void {
  const { style } = out;
  const statusColour = report.status === "SUCCEEDED" ? style.green : report.status === "RUNNING" ? style.cyan : style.red;
  const field = (label: string, text: string) => out.result(`  ${label.padEnd(9)} ${text.replace(/\n/g, "\n            ")}`);
  out.result(`${style.bold(report.name)}  ${statusColour(report.status)}`);
  field("started", report.startDate ?? "-");
  if (report.stopDate) field("stopped", report.stopDate);
  field("state", report.currentState ?? (report.status === "RUNNING" ? "-" : "(ended)"));
  field("path", report.path.join(" → ") || "-");
  if (waiting) field("waiting", waiting);
  if (report.branch) field("branch", report.branch);
  field("input", safe(report.input));
  if (report.output !== null) field("output", safe(report.output));
  if (report.error) field("error", `${redactTokens(report.error, tokens)}${report.cause ? `: ${redactTokens(report.cause, tokens)}` : ""}`);
}
