import type { Handler } from "../context.js";
import { executionName, resolveExecutionArn, validateExecutionName } from "../core/executions.js";
import { redactTokens } from "../core/history.js";
import { executionReport, readFullHistory, tokensIn } from "../core/show.js";
import { awsErrorName, NotFoundError, toUserError } from "../errors.js";
import { openWorkflow } from "./common.js";

/** `approvals show <execution>`: status, current state, input, and output or error. */
export const handler: Handler<[string]> = async (ctx, [name]) => {
  if (!name.startsWith("arn:")) validateExecutionName(name);
  const { sfn, stateMachineArn } = await openWorkflow(ctx);
  const executionArn = resolveExecutionArn(stateMachineArn, name);
  const { DescribeExecutionCommand } = await import("@aws-sdk/client-sfn");
  let report: ReturnType<typeof executionReport>;
  let tokens: string[];
  try {
    const [execution, events] = await Promise.all([
      sfn.send(new DescribeExecutionCommand({ executionArn })),
      readFullHistory(sfn, executionArn),
    ]);
    report = executionReport(execution, events);
    tokens = tokensIn(events);
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw new NotFoundError(
        `Execution ${executionName(executionArn)} does not exist.`,
        "List executions waiting with `approvals pending`.",
      );
    }
    throw toUserError(error, `Reading execution ${executionName(executionArn)}`);
  }
  // Input and output are the user's data, but a token could have been copied into them.
  const safe = (value: unknown) => redactTokens(JSON.stringify(value, null, 2), tokens);
  if (ctx.out.json) {
    ctx.out.result(safe(report));
    return 0;
  }
  const { style } = ctx.out;
  const statusColour = report.status === "SUCCEEDED" ? style.green : report.status === "RUNNING" ? style.cyan : style.red;
  ctx.out.result(`${style.bold(report.name)}  ${statusColour(report.status)}`);
  ctx.out.result(`  started   ${report.startDate ?? "-"}`);
  if (report.stopDate) ctx.out.result(`  stopped   ${report.stopDate}`);
  ctx.out.result(`  state     ${report.currentState ?? (report.status === "RUNNING" ? "-" : "(ended)")}`);
  ctx.out.result(`  path      ${report.visited.join(" → ") || "-"}`);
  ctx.out.result(`  input     ${safe(report.input).replace(/\n/g, "\n            ")}`);
  if (report.output !== null) ctx.out.result(`  output    ${safe(report.output).replace(/\n/g, "\n            ")}`);
  if (report.error)
    ctx.out.result(`  error     ${redactTokens(report.error, tokens)}${report.cause ? `: ${redactTokens(report.cause, tokens)}` : ""}`);
  return 0;
};
