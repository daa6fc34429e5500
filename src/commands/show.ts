import { redactTokens } from "../core/executions/history.js";
import { executionName, validateExecutionName } from "../core/executions/names.js";
import { type ExecutionView, showExecution } from "../core/executions/show.js";
import { parseNamedExecution } from "../core/executions/targets.js";
import { checkStateMachineOption } from "../core/machine/resolve.js";
import { onStack, operand, suggestCommand } from "../core/suggest.js";
import { safeBlock, safeJson, safeText } from "../lib/safe-text.js";
import { decisionLines } from "../output/decision-block.js";
import { wrapToWidth } from "../output/display-width.js";
import { duration, leftUntil } from "../output/format.js";
import { drawWorkflow, GRAPH_LEGEND } from "../output/graph.js";
import type { Output } from "../output/output.js";
import { suggestionLines } from "../output/suggestions.js";
import { tasksJson } from "../output/task-views.js";
import { drawTimeline } from "../output/timeline.js";
import type { HandlerOf } from "./define.js";
import type { show } from "./show.spec.js";

/** `approvals show <execution>`: status, the workflow graph marked with its path, and its timeline. */
export const handler: HandlerOf<typeof show> = async (ctx, [name], options) => {
  checkStateMachineOption(options.stateMachine, options.stackNameGiven);
  if (options.stateMachine !== undefined) {
    // An execution of any state machine is named alone or by its ARN: a `stack/` means nothing there.
    if (!name.startsWith("arn:")) validateExecutionName(name);
    return (await import("./show-machine.js")).showMachine(ctx, options.stateMachine, name);
  }
  const progress = ctx.out.progress(`Reading ${executionName(parseNamedExecution(name, ctx.stackName).name)}…`);
  const view = await showExecution(ctx, name).finally(() => progress.stop());
  const { report, workflow, tokens } = view;
  // Input and output are the user's data, but a token could have been copied into them.
  const safe = (value: unknown) => redactTokens(JSON.stringify(value, null, 2), tokens);
  if (ctx.out.json) {
    ctx.out.result(safeJson(safe({ ...report, tasks: tasksJson(view.tasks) })));
    return 0;
  }
  const { out } = ctx;
  const width = out.width;
  printSummary(out, view, safe, waitingNote(view, ctx.now()), width);
  out.result();
  if (view.decision) {
    for (const line of decisionLines(view.decision, workflow, out.style, (text) => redactTokens(text, tokens))) out.result(line);
    out.result();
  }
  out.result(out.style.bold("Workflow"));
  const graph = { startAt: workflow.startAt, states: workflow.states, marks: report.graph?.states, status: report.status };
  for (const line of drawWorkflow(graph, out.style)) out.result(`  ${line}`);
  out.result(out.style.dim(`  ${GRAPH_LEGEND}`));
  // The graph is the definition the execution runs on, or the deployed one when that one cannot be
  // read as an approval workflow: then the execution may have visited states it does not have.
  if (view.unknownStates.length) {
    out.result(out.style.yellow(safeText(`  Not in the deployed definition (an earlier version ran): ${view.unknownStates.join(", ")}`)));
  }
  out.result();
  out.result(out.style.bold("Timeline"));
  // Indented by two: the timeline fits what is left of the terminal's width.
  for (const line of drawTimeline(report.timeline, out.style, width && width - 2)) out.result(`  ${line}`);
  if (view.waiting) {
    const scope = onStack(ctx, view.stackName);
    const decide = ["approve", "reject"].map((kind) => suggestCommand(scope, [kind, operand(report.name)]));
    for (const line of suggestionLines("Decide with:", decide, out.errorWidth)) out.info(out.style.dim(safeText(line)));
  }
  return 0;
};

/** For an execution waiting at the callback state: how long it has waited and how long it has left. */
function waitingNote(view: ExecutionView, now: Date): string | undefined {
  if (!view.waiting) return undefined;
  const { since, expiresAt } = view.waiting;
  const left = expiresAt ? `, ${leftUntil(expiresAt, now)}` : "";
  return `for a decision for ${duration(now.getTime() - since.getTime())}${left}`;
}

/** Where a field's value starts: two spaces, the label padded to 9, a space. */
const VALUE_COLUMN = 12;

/**
 * A field's value, one entry per line, at a terminal of `width` columns wrapped so that each line
 * fits: a long line continues below, indented past the value's column and its own indentation.
 */
function fieldLines(text: string, width: number | undefined): string[] {
  const lines = text.split("\n");
  if (width === undefined) return lines;
  return lines.flatMap((line) => {
    const own = /^ */.exec(line)?.[0] ?? "";
    return wrapToWidth(line, width - VALUE_COLUMN, `${own}  `);
  });
}

function printSummary(
  out: Output,
  view: ExecutionView,
  safe: (value: unknown) => string,
  waiting: string | undefined,
  width: number | undefined,
): void {
  const { report, tokens } = view;
  const { style } = out;
  const statusColour = report.status === "SUCCEEDED" ? style.green : report.status === "RUNNING" ? style.cyan : style.red;
  const field = (label: string, text: string) =>
    out.result(`  ${label.padEnd(VALUE_COLUMN - 3)} ${fieldLines(text, width).join(`\n${" ".repeat(VALUE_COLUMN)}`)}`);
  // Everything here but the labels comes from AWS. Input and output are JSON (escaped as JSON escapes, so
  // they read back the same); a cause may span lines (a stack trace): its line breaks stay, indented.
  out.result(`${style.bold(safeText(report.name))}  ${statusColour(safeText(report.status))}`);
  field("started", report.startDate ?? "-");
  if (report.stopDate) field("stopped", report.stopDate);
  field("state", safeText(report.currentState ?? (report.status === "RUNNING" ? "-" : "(ended)")));
  field("path", safeText(report.path.join(" → ")) || "-");
  if (waiting) field("waiting", waiting);
  if (report.branch) field("branch", safeText(report.branch));
  field("input", safeJson(safe(report.input)));
  if (report.output !== null) field("output", safeJson(safe(report.output)));
  if (report.error) {
    field(
      "error",
      `${safeText(redactTokens(report.error, tokens))}${report.cause ? `: ${safeBlock(redactTokens(report.cause, tokens))}` : ""}`,
    );
  }
}
