import { validateExecutionName } from "../core/executions/names.js";
import { readExecutionTasks } from "../core/machine/execution-tasks.js";
import { checkDecideRequest, planDecision, taskLabel } from "../core/machine/plan-decision.js";
import { checkStateMachineOption } from "../core/machine/resolve.js";
import { sendTaskOutput } from "../core/machine/send-output.js";
import { suggestCommand } from "../core/suggest.js";
import { safeJson, safeText } from "../lib/safe-text.js";
import type { decide } from "./decide.spec.js";
import type { HandlerOf } from "./define.js";
import { type Landing, reportMayHaveLanded } from "./may-have-landed.js";
import { pickTask } from "./pick-task.js";

/**
 * `approvals decide <execution> --to <State>`: answer a waiting task of any workflow with the output
 * its definition routes to that state (or `--output`, exactly as given). Refuses, sending nothing,
 * where the branch cannot be solved for certain.
 */
export const handler: HandlerOf<typeof decide> = async (ctx, [name], options) => {
  if (!name.startsWith("arn:")) validateExecutionName(name);
  checkStateMachineOption(options.stateMachine, options.stackNameGiven);
  checkDecideRequest(options);
  ctx.out.ensureCanConfirm("send an answer");
  const { stateMachine } = options;
  const progress = ctx.out.progress(`Reading ${name}…`);
  const view = await readExecutionTasks(ctx, stateMachine, name).finally(() => progress.stop());
  // Several tasks and none named: a terminal picks one; elsewhere planDecision refuses, listing them.
  const task = options.task ?? (view.tasks.length > 1 && ctx.out.interactive ? await pickTask(ctx, view) : undefined);
  const plan = planDecision(view, { ...options, task });
  const { out } = ctx;
  if (plan.kind === "refuse") {
    out.info(out.style.red(safeText(`Nothing sent. ${plan.reason}`)));
    if (plan.state) {
      out.info(safeText(`The state read, ${plan.state.name}:`));
      for (const line of safeJson(JSON.stringify(plan.state.definition, null, 2)).split("\n")) out.info(`  ${line}`);
    }
    return 2;
  }
  const label = taskLabel(plan.task);
  if (!out.json) {
    out.info(safeText(`Answer ${label} of ${view.name} with:`));
    out.info(`  ${safeJson(plan.output)}`);
  }
  await out.confirm(safeText(`Send this output to ${label} of ${view.name}?`), "send an answer");
  const show =
    stateMachine === undefined
      ? suggestCommand(ctx, ["show", view.name])
      : suggestCommand(ctx, ["show", view.name, "--state-machine", stateMachine], { stack: false });
  const json = (fields: Landing) =>
    out.jsonResult({
      execution: view.name,
      executionArn: view.executionArn,
      state: plan.task.state,
      mapIndex: plan.task.mapIndex ?? null,
      to: options.to ?? null,
      output: JSON.parse(plan.output),
      ...fields,
    });
  const { replyLost } = await sendTaskOutput(
    ctx,
    { executionArn: view.executionArn, token: plan.token, scheduledEventId: plan.task.scheduledEventId, output: plan.output, label },
    show,
  ).catch(reportMayHaveLanded(out, json));
  if (out.json) {
    json({ replyLost });
    return 0;
  }
  out.result(safeText(`Sent to ${label} of ${view.name}${options.to ? `: it goes to ${options.to}` : ""}.`));
  if (replyLost) out.info(out.style.dim("The reply was lost, but the execution's history shows this answer landed."));
  return 0;
};
