import { rememberFinished } from "../completion/cache.js";
import { listExecutions } from "../core/executions/list-executions.js";
import { parseListFlags, reachedLimit } from "../core/executions/list-filter.js";
import { checkStateMachineOption } from "../core/machine/resolve.js";
import { placeholder, suggestCommand } from "../core/suggest.js";
import { jsonOrText } from "../lib/json.js";
import { listTableLines } from "../output/list-table.js";
import { suggestionLines } from "../output/suggestions.js";
import type { HandlerOf } from "./define.js";
import type { list } from "./list.spec.js";

/** `approvals list`: the stack's executions of every status, newest first, with how each ended. */
export const handler: HandlerOf<typeof list> = async (ctx, _args, options) => {
  checkStateMachineOption(options.stateMachine, options.stackNameGiven);
  if (options.stateMachine !== undefined) return (await import("./list-machine.js")).listMachine(ctx, options.stateMachine, options);
  const filter = parseListFlags(options, ctx.now());
  const progress = ctx.out.progress("Reading executions…");
  const executions = await listExecutions(ctx, filter).finally(() => progress.stop());
  // Shell completion offers these names to `show` (see `approvals completion`).
  const scope = { stackName: ctx.stackName, region: ctx.aws.region, profile: ctx.aws.profile, endpointUrl: ctx.aws.endpointUrl };
  await rememberFinished(
    scope,
    executions.filter((e) => e.status !== "RUNNING").map((e) => e.name),
    ctx.env,
  );
  if (ctx.out.json) {
    ctx.out.jsonResult(executions.map((e) => ({ ...e, input: jsonOrText(e.input ?? undefined) })));
    return 0;
  }
  if (executions.length === 0) {
    ctx.out.result(
      `No executions${filter.status ? ` ${filter.status}` : ""}${filter.decidedBy ? ` decided by ${JSON.stringify(filter.decidedBy)}` : ""}${filter.since ? ` since ${filter.since.toISOString()}` : ""} in ${ctx.stackName}.`,
    );
    return 0;
  }
  for (const line of listTableLines(ctx.out, executions, ctx.now())) ctx.out.result(line);
  const more = reachedLimit(executions.length, filter) ? ` (the newest ${executions.length}; --limit shows more)` : "";
  const details = suggestionLines(`${executions.length} listed${more}. Details with:`, [
    suggestCommand(ctx, ["show", placeholder("name")]),
  ]);
  for (const line of details) ctx.out.info(ctx.out.style.dim(line));
  return 0;
};
