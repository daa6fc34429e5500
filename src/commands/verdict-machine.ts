import { randomUUID } from "node:crypto";
import { startCallerIdentity } from "../core/executions/caller.js";
import { validateExecutionName } from "../core/executions/names.js";
import { readExecutionTasks } from "../core/machine/execution-tasks.js";
import { taskLabel } from "../core/machine/plan-decision.js";
import { planVerdict, type VerdictPlan } from "../core/machine/plan-verdict.js";
import { sendTaskOutput } from "../core/machine/send-output.js";
import { operand, placeholder, suggestCommand, type Word } from "../core/suggest.js";
import { UsageError } from "../errors.js";
import { safeJson, safeText } from "../lib/safe-text.js";
import type { CommandContext } from "./context.js";
import { type Landing, reportMayHaveLanded } from "./may-have-landed.js";
import { pickTask } from "./pick-task.js";
import type { VerdictOptions } from "./verdict-options.js";

type Kind = "approve" | "reject" | "fail";

/** What the stack's path takes that this one cannot: refused before anything is read (exit 2). */
function checkMachineOptions(kind: Kind, names: string[], options: VerdictOptions): void {
  if (names.length !== 1) {
    throw new UsageError(
      `With --state-machine, ${kind} takes one execution${names.length ? ", not several" : ""}.`,
      `Example: approvals ${kind} order-17 --state-machine OrderApproval (list them with approvals pending --state-machine OrderApproval)`,
    );
  }
  const name = names[0] as string;
  if (!name.startsWith("arn:")) validateExecutionName(name);
  if (options.allStacks) throw new UsageError("--all-stacks reads the human-approval stacks: it does not apply with --state-machine.");
  if (options.wait) throw new UsageError("--wait applies to the stack's workflow; with --state-machine, follow it with `show`.");
  if (kind !== "fail" && options.reason !== undefined) {
    throw new UsageError(
      "--reason is not sent with --state-machine: approve and reject send exactly the output the definition routes on, nothing added.",
    );
  }
}

/**
 * approve, reject and fail with `--state-machine`: read the execution and its waiting tasks, choose
 * the task (`--task`, or the picker at a terminal), then send what {@link planVerdict} planned after
 * showing it and asking; or refuse (exit 2, nothing sent) listing each branch with its `decide --to`.
 */
export async function runMachineVerdict(ctx: CommandContext, kind: Kind, names: string[], options: VerdictOptions): Promise<number> {
  checkMachineOptions(kind, names, options);
  const stateMachine = options.stateMachine as string;
  const name = names[0] as string;
  ctx.out.ensureCanConfirm(`${kind} this task`);
  const identity = kind === "fail" && !options.exactPayload ? startCallerIdentity(ctx) : undefined;
  const progress = ctx.out.progress(`Reading ${name}…`);
  const view = await readExecutionTasks(ctx, stateMachine, name).finally(() => progress.stop());
  const task = options.task ?? (view.tasks.length > 1 && ctx.out.interactive ? await pickTask(ctx, view) : undefined);
  const plan = await planVerdict(view, { kind, task, error: options.error, cause: options.cause, identity, decisionId: randomUUID() });
  const { out } = ctx;
  const words = (...more: Word[]) => suggestCommand(ctx, [...more, "--state-machine", stateMachine], { stack: false });
  const label = taskLabel(plan.task);
  if (plan.kind === "refuse") {
    out.info(out.style.red(safeText(`Nothing sent. ${plan.reason}.`)));
    for (const line of refusalLines(plan, view.name, view.tasks.length > 1, words)) out.info(line);
    return 2;
  }
  if (!out.json) {
    if (plan.kind === "success") out.info(safeText(`${capital(kind)} ${label} of ${view.name}: it goes to ${plan.to}, with:`));
    else out.info(safeText(`Fail ${label} of ${view.name} with error ${plan.error}${plan.cause === undefined ? "" : ", cause:"}`));
    const shown = plan.kind === "success" ? plan.output : plan.cause;
    if (shown !== undefined) out.info(`  ${plan.kind === "success" ? safeJson(shown) : safeText(shown)}`);
  }
  await out.confirm(safeText(`${capital(kind)} ${label} of ${view.name}?`), `${kind} this task`);
  const json = (fields: Landing) =>
    out.jsonResult({
      execution: view.name,
      executionArn: view.executionArn,
      decision: kind,
      state: plan.task.state,
      mapIndex: plan.task.mapIndex ?? null,
      ...(plan.kind === "success" ? { to: plan.to, output: JSON.parse(plan.output) } : { error: plan.error, cause: plan.cause ?? null }),
      ...fields,
    });
  const { replyLost } = await sendTaskOutput(
    ctx,
    {
      executionArn: view.executionArn,
      token: plan.token,
      scheduledEventId: plan.task.scheduledEventId,
      label,
      ...(plan.kind === "success" ? { output: plan.output } : { failure: { error: plan.error, cause: plan.cause } }),
    },
    words("show", operand(view.name)),
  ).catch(reportMayHaveLanded(out, json));
  if (out.json) {
    json({ replyLost });
    return 0;
  }
  const done = { approve: "Approved", reject: "Rejected", fail: "Failed" }[kind];
  out.result(safeText(`${done} ${label} of ${view.name}${plan.kind === "success" ? `: it goes to ${plan.to}` : ""}.`));
  if (replyLost) out.info(out.style.dim("The reply was lost, but the execution's history shows this answer landed."));
  return 0;
}

/** A refusal's branches, each with the `decide --to` command that takes it (or why none can). */
function refusalLines(
  plan: Extract<VerdictPlan, { kind: "refuse" }>,
  execution: string,
  several: boolean,
  words: (...more: Word[]) => string,
): string[] {
  const { routes } = plan.task;
  const label = taskLabel(plan.task);
  const task = several ? ["--task", label] : [];
  if (routes.kind === "no-choice")
    return [safeText(`Send an output as it is with ${words("decide", operand(execution), "--output", placeholder("json"), ...task)}`)];
  const lines = [safeText(`${routes.choiceState} routes ${label} on the answer; choose a branch:`)];
  for (const b of routes.branches) {
    lines.push(
      safeText(
        b.solvable
          ? `  → ${b.next}: ${words("decide", operand(execution), "--to", b.next, ...task)}`
          : `  → ${b.next}: no output for certain (${b.reason})`,
      ),
    );
  }
  return lines;
}

const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
