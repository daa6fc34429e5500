import type { Change } from "../aws/cloudformation.js";
import { checkDeployedStack } from "../core/stack/checks.js";
import { type DeployPlan, discardDeploy, executeDeploy, isNewStack, prepareDeploy } from "../core/stack/deploy.js";
import { loadTemplate, validateEmail } from "../core/stack/template.js";
import { type Scope, suggestCommand } from "../core/suggest.js";
import { AbortError, ApprovalsError, InterruptedError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";
import { wrapToWidth } from "../output/display-width.js";
import { type FitColumn, fitTable } from "../output/fit.js";
import { stackPrinter } from "../output/stack-events.js";
import { suggestionLines } from "../output/suggestions.js";
import { askEmail } from "./ask-email.js";
import type { CommandContext } from "./context.js";
import type { HandlerOf } from "./define.js";
import type { deploy } from "./deploy.spec.js";
import { renderReport } from "./outputs.js";

/** `approvals deploy`: create or update the stack through a change set, then confirm it. */
export const handler: HandlerOf<typeof deploy> = async (ctx, _args, options) => {
  const { out, stackName } = ctx;
  const template = await loadTemplate(options.template);
  let email = options.email;
  if (email !== undefined) validateEmail(template, email);
  // A new stack needs its Email first: asked at a terminal, else the one error to fix (not "pass --yes" before it).
  else if (template.parameters.includes("Email") && (await isNewStack(ctx))) email = await askEmail(ctx, template);
  // Creating a change set already writes to the account: refuse before it when nobody can confirm.
  out.ensureCanConfirm(`deploy stack ${stackName}`);
  // One spinner while the change set is prepared, another once it executes: the prompt sits between.
  const preparing = stackPrinter(out, "Preparing a change set for", stackName);
  const prepared = await prepareDeploy({ ...ctx, emit: preparing.emit }, { template, email }).finally(preparing.stop);
  if (prepared.outcome === "no-changes") {
    out.info(`No changes: stack ${stackName} is already up to date.`);
  } else {
    const { plan } = prepared;
    await confirmPlan(ctx, plan);
    const applying = stackPrinter(out, plan.type === "CREATE" ? "Creating" : "Updating", stackName);
    const watch = await executeDeploy({ ...ctx, emit: applying.emit }, plan).finally(applying.stop);
    if (watch.kind === "failed") {
      const failures = watch.events.filter((e) => e.ResourceStatus?.endsWith("_FAILED"));
      const width = out.errorWidth;
      for (const f of failures) {
        const text = safeText(`${f.LogicalResourceId} (${f.ResourceType}): ${f.ResourceStatusReason ?? "no reason given"}`);
        for (const line of width === undefined ? [text] : wrapToWidth(text, width - 2, "  ")) out.info(`  ${line}`);
      }
      throw new ApprovalsError(
        `Deploy failed: stack ${stackName} is ${watch.status}${failures.length ? ` (${failures.length} resource${failures.length > 1 ? "s" : ""} failed, above)` : ""}.`,
        watch.status === "ROLLBACK_COMPLETE"
          ? `Delete it with \`${suggestCommand(ctx, ["destroy"])}\`, fix the cause, then deploy again.`
          : undefined,
      );
    }
    // Otherwise the report on stdout opens with the same line.
    if (out.json) out.info(`Stack ${stackName}: ${watch.status}`);
  }
  const checking = out.progress(`Confirming ${stackName}'s outputs…`);
  const report = await (ctx.signal.aborted ? Promise.reject(checksInterrupted(ctx)) : checkDeployedStack(ctx)).finally(() =>
    checking.stop(),
  );
  if (ctx.signal.aborted) throw checksInterrupted(ctx);
  const code = renderReport(ctx, report);
  // Until the subscription is confirmed, approval emails go nowhere: that comes first.
  const lead = report.subscription.status === "PendingConfirmation" ? "Next: confirm the subscription email, then" : "Next:";
  // The request on stdin: a first run has no request file to name.
  const next = suggestionLines(lead, [`echo '{"Comment":"Try me"}' | ${suggestCommand(ctx, ["start", "--input", "-"])}`], out.errorWidth);
  if (!out.json) for (const line of next) out.info(out.style.dim(safeText(line)));
  return code;
};

/** Ctrl-C after the stack operation ended: the stack is as deployed, only the read-only checks are cut short. */
function checksInterrupted(scope: Scope): InterruptedError {
  return new InterruptedError(
    `Interrupted: stack ${scope.stackName} is deployed; its outputs were not confirmed.`,
    `Confirm them with \`${suggestCommand(scope, ["outputs"])}\`.`,
  );
}

/** Show the change set and ask; a refusal (or Ctrl-C at the prompt) discards it, so nothing is left behind. */
async function confirmPlan(ctx: CommandContext, plan: DeployPlan): Promise<void> {
  const { out, stackName } = ctx;
  out.info(`${plan.type === "CREATE" ? "Creating" : "Updating"} stack ${stackName}:`);
  for (const line of changeTable(plan.changes, out.errorWidth)) out.info(line);
  try {
    await out.confirm(`${plan.type === "CREATE" ? "Create" : "Update"} stack ${stackName}?`, `${plan.type.toLowerCase()} the stack`);
  } catch (error) {
    await discardDeploy(ctx, plan);
    // A change set (and, for a create, an empty stack) was made and is now removed: say so, not "nothing was sent".
    const removed =
      plan.type === "CREATE"
        ? `change set ${plan.changeSetName} and the empty stack ${stackName} it created were deleted; nothing was deployed.`
        : `change set ${plan.changeSetName} was deleted; stack ${stackName} is unchanged.`;
    if (error instanceof AbortError) throw new AbortError(`Cancelled: ${removed}`);
    if (error instanceof InterruptedError) throw new InterruptedError(`Interrupted: ${removed}`, undefined, error);
    throw error;
  }
}

/** At a terminal the type gives way first, then the logical id, both cut in the middle. */
const CHANGES: FitColumn[] = [
  { head: "ACTION" },
  { head: "LOGICAL ID", shrink: { order: 2, min: 16, cut: "middle" } },
  { head: "TYPE", shrink: { order: 1, min: 16, cut: "middle" } },
  { head: "REPLACEMENT" },
];

function changeTable(changes: Change[], width: number | undefined): string[] {
  const rows = changes.map((c) => [
    c.ResourceChange?.Action ?? "",
    c.ResourceChange?.LogicalResourceId ?? "",
    c.ResourceChange?.ResourceType ?? "",
    c.ResourceChange?.Replacement ?? "",
  ]);
  return fitTable(CHANGES, rows, width);
}
