import type { Change, ChangeSetIds, Parameter } from "../../aws/cloudformation.js";
import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import { ApprovalsError, amend, InterruptedError, refusedAtOnce, UsageError } from "../../errors.js";
import { SETTLE_READ_MS } from "../executions/lost-reply.js";
import { type Scope, suggestCommand } from "../suggest.js";
import { withWorkflowTag } from "./discover.js";
import { findStack } from "./find.js";
import { classifyStackStatus } from "./status.js";
import { stoppedWaiting } from "./stopped-wait.js";
import { type LoadedTemplate, validateEmail } from "./template.js";
import { type WatchResult, watchStack } from "./watch.js";

/** Inputs of {@link prepareDeploy}. */
export interface DeployRequest {
  template: LoadedTemplate;
  /** `--email`; required when the stack does not exist yet, else the deployed value is kept. */
  email?: string;
}

/** A change set created and described, waiting to be confirmed and executed (or discarded). */
export interface DeployPlan {
  stackName: string;
  changeSetName: string;
  type: "CREATE" | "UPDATE";
  changes: Change[];
}

/** What {@link prepareDeploy} found: nothing to change, or a plan. */
export type Prepared = { outcome: "no-changes"; status: string } | { outcome: "plan"; plan: DeployPlan };

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/**
 * The first half of `deploy`: validate locally, wait out an operation still running on the stack,
 * then create a change set and describe it. Stopped (Ctrl-C) before a change set runs, nothing changed.
 */
export async function prepareDeploy(ctx: Context, request: DeployRequest): Promise<Prepared> {
  try {
    return await prepare(ctx, request);
  } catch (error) {
    if (ctx.signal.aborted && !(error instanceof InterruptedError)) {
      throw new InterruptedError("Interrupted before the change set was executed: nothing was changed.", undefined, error);
    }
    throw error;
  }
}

async function prepare(ctx: Context, request: DeployRequest): Promise<Prepared> {
  const { stackName } = ctx;
  const { template } = request;
  if (request.email !== undefined) validateEmail(template, request.email);
  const cfn = await ctx.cloudFormation();
  let existing = await findStack(cfn, stackName);
  if (existing && classifyStackStatus(existing.StackStatus ?? "") === "in-progress" && existing.StackStatus !== "REVIEW_IN_PROGRESS") {
    ctx.emit({ type: "stack-busy", stackName, status: existing.StackStatus ?? "" });
    // By id: once a deletion completes, the stack's name no longer finds it, its id still does.
    await watchUntilDone(ctx, existing.StackId ?? stackName, ctx.now());
    existing = await findStack(cfn, stackName);
  }
  if (existing?.StackStatus === "ROLLBACK_COMPLETE") {
    throw new ApprovalsError(
      `Stack ${stackName} is in ROLLBACK_COMPLETE: its creation failed and CloudFormation cannot update it.`,
      `Delete it with \`${suggestCommand(ctx, ["destroy"])}\`, fix the cause shown in its events, then deploy again.`,
    );
  }
  // A stack left in review by a cancelled create is created afresh.
  const type = existing && existing.StackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE";
  const parameters = emailParameter(template, request.email, type, ctx);

  const plan: DeployPlan = { stackName, changeSetName: `approvals-${ctx.now().getTime()}`, type, changes: [] };
  try {
    await cfn.createChangeSet({
      ...idsOf(plan),
      ChangeSetType: type,
      TemplateBody: template.body,
      Parameters: parameters,
      Capabilities: ["CAPABILITY_IAM"],
      // Marks the stack for `--all-stacks`; an update keeps the stack's other tags.
      Tags: withWorkflowTag(existing?.Tags),
      Description: "Created by approvals deploy",
    });
  } catch (error) {
    if (NO_CHANGES.test((error as Error).message ?? "")) return { outcome: "no-changes", status: existing?.StackStatus ?? "" };
    throw toUserError(error, "Creating the change set");
  }
  let changeSet: ChangeSetState;
  try {
    changeSet = await waitForChangeSet(ctx, idsOf(plan));
  } catch (error) {
    if (ctx.signal.aborted) await discardDeploy(ctx, plan);
    throw error;
  }
  if (changeSet.status === "FAILED") {
    await discardDeploy(ctx, plan);
    // Only the reason tells "nothing to change" from a real failure: a failed change set lists no changes either way.
    if (NO_CHANGES.test(changeSet.reason ?? "")) return { outcome: "no-changes", status: existing?.StackStatus ?? "" };
    throw new ApprovalsError(`CloudFormation could not create the change set: ${changeSet.reason ?? "no reason given"}.`);
  }
  // A change set that was created is executed even when it lists no resource change: a new
  // parameter value (--email) or output can change nothing but the stack itself.
  return { outcome: "plan", plan: { ...plan, changes: changeSet.changes } };
}

/** Leave nothing behind when a plan is not executed: its change set, and the empty stack a CREATE change set makes. */
export async function discardDeploy(ctx: Context, plan: DeployPlan): Promise<void> {
  const cfn = await ctx.cloudFormation();
  await cfn.deleteChangeSet(idsOf(plan)).catch(() => undefined);
  if (plan.type === "CREATE") await cfn.deleteStack(plan.stackName).catch(() => undefined);
}

/**
 * The second half of `deploy`: execute the confirmed change set and watch the stack until the
 * operation ends. From the execution on, the stack changes at AWS whatever the CLI does.
 */
export async function executeDeploy(ctx: Context, plan: DeployPlan): Promise<WatchResult> {
  const cfn = await ctx.cloudFormation();
  const since = new Date(ctx.now().getTime() - 1000);
  // Ctrl-C at the confirmation's heels: the change set is not executed, and not left behind.
  if (ctx.signal.aborted) {
    await discardDeploy(ctx, plan);
    throw new InterruptedError("Interrupted before the change set was executed: nothing was changed.");
  }
  try {
    await ctx.inFlight.track(`the change set for stack ${plan.stackName}`, () => cfn.executeChangeSet(idsOf(plan)));
  } catch (error) {
    const failure = toUserError(error, "Executing the change set");
    if (refusedAtOnce(error)) throw failure;
    await settleLostExecute(ctx, plan, failure);
  }
  return watchUntilDone(ctx, plan.stackName, since);
}

/**
 * ExecuteChangeSet's answer was lost: the change set's execution status says whether CloudFormation
 * took it. Returns when it did (the stack operation is then watched as usual); throws when it did not,
 * or when that cannot be read.
 */
async function settleLostExecute(ctx: Context, plan: DeployPlan, failure: ApprovalsError): Promise<void> {
  const cfn = await ctx.cloudFormation();
  let execution: string;
  try {
    const abortSignal = AbortSignal.timeout(SETTLE_READ_MS);
    execution = (await cfn.describeChangeSet(idsOf(plan), { abortSignal })).ExecutionStatus ?? "";
  } catch {
    throw amend(failure, {
      append: `It may have been executed all the same, and the change set could not be read to tell: run \`${suggestCommand(ctx, ["deploy"])}\` again to see where the stack stands.`,
    });
  }
  if (execution.startsWith("EXECUTE_")) {
    ctx.emit({ type: "note", message: `The reply to ExecuteChangeSet was lost, but CloudFormation took the change set (${execution}).` });
    return;
  }
  throw amend(failure, {
    append: `The change set was not executed (${execution || "status unknown"}): stack ${plan.stackName} is unchanged.`,
  });
}

/** Watch a stack operation; a stop (Ctrl-C, AWS out of reach) says what goes on at AWS and how to resume. */
async function watchUntilDone(ctx: Context, stack: string, since: Date): Promise<WatchResult> {
  try {
    return await watchStack(ctx, stack, since);
  } catch (error) {
    throw await stoppedWaiting(ctx, error, "deploy");
  }
}

function idsOf(plan: DeployPlan): ChangeSetIds {
  return { StackName: plan.stackName, ChangeSetName: plan.changeSetName };
}

function emailParameter(template: LoadedTemplate, email: string | undefined, type: "CREATE" | "UPDATE", scope: Scope): Parameter[] {
  if (!template.parameters.includes("Email")) return [];
  if (email !== undefined) return [{ ParameterKey: "Email", ParameterValue: email }];
  if (type === "UPDATE") return [{ ParameterKey: "Email", UsePreviousValue: true }];
  throw new UsageError(
    `Stack ${scope.stackName} does not exist yet: --email is required to create it.`,
    `Example: ${suggestCommand(scope, ["deploy", "--email", "ops@example.com"])}`,
  );
}

interface ChangeSetState {
  status: string;
  reason: string | undefined;
  changes: Change[];
}

async function waitForChangeSet(ctx: Context, ids: ChangeSetIds): Promise<ChangeSetState> {
  const cfn = await ctx.cloudFormation();
  let delay = Math.min(ctx.pollMs, 500);
  for (;;) {
    const result = await cfn.describeChangeSet(ids).catch((error: unknown) => {
      throw toUserError(error, "Reading the change set");
    });
    const status = result.Status ?? "";
    if (status === "CREATE_COMPLETE" || status === "FAILED") {
      return { status, reason: result.StatusReason, changes: result.Changes ?? [] };
    }
    await ctx.sleep(delay, ctx.signal);
    delay = Math.min(delay * 2, ctx.pollMs);
  }
}

/** Whether deploying would create the stack: it does not exist, or a cancelled create left it in review. */
export async function isNewStack(ctx: Context): Promise<boolean> {
  const stack = await findStack(await ctx.cloudFormation(), ctx.stackName);
  return !stack || stack.StackStatus === "REVIEW_IN_PROGRESS";
}
