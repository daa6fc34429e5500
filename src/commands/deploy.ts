import type { Change } from "@aws-sdk/client-cloudformation";
import type { Handler } from "../context.js";
import { deployStack } from "../core/stack/deploy.js";
import { stoppedWaiting } from "../core/stack/stopped-wait.js";
import { loadTemplate, validateEmail } from "../core/stack/template.js";
import { stackPollInterval } from "../core/workflow/open.js";
import { ApprovalsError, InterruptedError } from "../errors.js";
import { columns } from "../output/format.js";
import { formatStackEvent, isFinishedEvent, stackProgressText } from "../output/report.js";
import { renderReport, reportStack } from "./outputs.js";

interface DeployOptions {
  /** `--email`: required on first deploy. */
  email?: string;
  /** `--template`: default the bundled template. */
  template?: string;
}

/** `approvals deploy`: create or update the stack through a change set, then confirm it. */
export const handler: Handler<[], DeployOptions> = async (ctx, _args, options) => {
  const { out } = ctx;
  const template = await loadTemplate(options.template);
  if (options.email !== undefined) validateEmail(template, options.email);
  // Creating a change set already writes to the account: refuse before it when nobody can confirm.
  out.ensureCanConfirm(`deploy stack ${ctx.stackName}`);
  const cfn = await ctx.cloudFormation();
  // One spinner while the change set is prepared, another once it executes: the prompt sits between.
  let verb = "Preparing a change set for";
  let progress = out.progress(stackProgressText(verb, ctx.stackName), { elapsed: true });
  let result: Awaited<ReturnType<typeof deployStack>>;
  // From the first stack wait on, a stop leaves work running at AWS that the message must name.
  let watching = false;
  try {
    result = await deployStack(cfn, {
      stackName: ctx.stackName,
      template,
      email: options.email,
      pollMs: stackPollInterval(out.streams.env),
      signal: ctx.signal,
      onResume: (status) => {
        watching = true;
        out.info(`Stack ${ctx.stackName} is ${status}: waiting for that operation to finish first.`);
      },
      onExecuted: () => {
        watching = true;
      },
      onEvent: (event) => {
        progress.update(stackProgressText(verb, ctx.stackName, event));
        // At a terminal the spinner carries work in progress; only finished resources get a line.
        if (!out.animate || isFinishedEvent(event)) progress.log(formatStackEvent(out, event));
      },
      confirmChanges: async (changes, type) => {
        progress.stop();
        out.info(`${type === "CREATE" ? "Creating" : "Updating"} stack ${ctx.stackName}:`);
        out.info(changeTable(changes));
        await out.confirm(`${type === "CREATE" ? "Create" : "Update"} stack ${ctx.stackName}?`, `${type.toLowerCase()} the stack`);
        verb = type === "CREATE" ? "Creating" : "Updating";
        progress = out.progress(stackProgressText(verb, ctx.stackName), { elapsed: true });
      },
    });
  } catch (error) {
    if (watching) throw await stoppedWaiting(ctx, error, "deploy");
    if (ctx.signal.aborted) throw new InterruptedError("Interrupted before the change set was executed: nothing was changed.");
    throw error;
  } finally {
    progress.stop();
  }
  if (result.outcome === "no-changes") {
    out.info(`No changes: stack ${ctx.stackName} is already up to date.`);
  } else if (result.watch.kind === "failed") {
    const failures = result.watch.events.filter((e) => e.ResourceStatus?.endsWith("_FAILED"));
    for (const f of failures) out.info(`  ${f.LogicalResourceId} (${f.ResourceType}): ${f.ResourceStatusReason ?? "no reason given"}`);
    throw new ApprovalsError(
      `Deploy failed: stack ${ctx.stackName} is ${result.watch.status}${failures.length ? ` (${failures.length} resource${failures.length > 1 ? "s" : ""} failed, above)` : ""}.`,
      result.watch.status === "ROLLBACK_COMPLETE"
        ? `Delete it with \`approvals destroy --stack-name ${ctx.stackName}\`, fix the cause, then deploy again.`
        : undefined,
    );
  } else if (out.json) {
    // Otherwise the report on stdout opens with the same line.
    out.info(`Stack ${ctx.stackName}: ${result.watch.status}`);
  }
  const checking = out.progress(`Confirming ${ctx.stackName}'s outputs…`);
  const report = await reportStack(ctx).finally(() => checking.stop());
  const code = renderReport(ctx, report);
  // Until the subscription is confirmed, approval emails go nowhere: that comes first.
  const first = report.subscription.status === "PendingConfirmation" ? "confirm the subscription email, then " : "";
  if (!out.json) out.info(out.style.dim(`Next: ${first}approvals start --input request.json`));
  return code;
};

function changeTable(changes: Change[]): string {
  return columns(
    ["ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT"],
    changes.map((c) => [
      c.ResourceChange?.Action ?? "",
      c.ResourceChange?.LogicalResourceId ?? "",
      c.ResourceChange?.ResourceType ?? "",
      c.ResourceChange?.Replacement ?? "",
    ]),
  );
}
