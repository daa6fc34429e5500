import type { Change, CloudFormationClient, Parameter, StackEvent } from "@aws-sdk/client-cloudformation";
import { ApprovalsError, toUserError, UsageError } from "../../errors.js";
import { sleep } from "../../lib/async.js";
import { findStack } from "./find.js";
import { classifyStackStatus } from "./status.js";
import { type LoadedTemplate, validateEmail } from "./template.js";
import { type WatchResult, watchStack } from "./watch.js";

/** Inputs of {@link deployStack}. */
export interface DeployRequest {
  stackName: string;
  template: LoadedTemplate;
  /** `--email`; required when the stack does not exist yet, else the deployed value is kept. */
  email?: string;
  /** Shown the change set; resolves to go on, throws to cancel (the change set is then deleted). */
  confirmChanges: (changes: Change[], type: "CREATE" | "UPDATE") => Promise<void>;
  onEvent?: (event: StackEvent) => void;
  /** Told when a previous operation is still running and is waited for first. */
  onResume?: (status: string) => void;
  /** Told once the change set is executing: from then on the stack changes at AWS whatever the CLI does. */
  onExecuted?: () => void;
  pollMs?: number;
  signal?: AbortSignal;
}

/** How a deploy ended. */
export type DeployResult = { outcome: "no-changes"; status: string } | { outcome: "done"; type: "CREATE" | "UPDATE"; watch: WatchResult };

const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** Validate locally, then create or update the stack through a change set and wait for it. */
export async function deployStack(cfn: CloudFormationClient, request: DeployRequest): Promise<DeployResult> {
  const { stackName, template } = request;
  if (request.email !== undefined) validateEmail(template, request.email);
  let existing = await findStack(cfn, stackName);
  if (existing && classifyStackStatus(existing.StackStatus ?? "") === "in-progress" && existing.StackStatus !== "REVIEW_IN_PROGRESS") {
    request.onResume?.(existing.StackStatus ?? "");
    // By id: once a deletion completes, the stack's name no longer finds it, its id still does.
    const watched = existing.StackId ?? stackName;
    await watchStack(cfn, watched, { since: new Date(), pollMs: request.pollMs, onEvent: request.onEvent, signal: request.signal });
    existing = await findStack(cfn, stackName);
  }
  if (existing?.StackStatus === "ROLLBACK_COMPLETE") {
    throw new ApprovalsError(
      `Stack ${stackName} is in ROLLBACK_COMPLETE: its creation failed and CloudFormation cannot update it.`,
      `Delete it with \`approvals destroy --stack-name ${stackName}\`, fix the cause shown in its events, then deploy again.`,
    );
  }
  // A stack left in review by a cancelled create is created afresh.
  const type = existing && existing.StackStatus !== "REVIEW_IN_PROGRESS" ? "UPDATE" : "CREATE";
  const parameters = emailParameter(template, request.email, type, stackName);

  const cf = await import("@aws-sdk/client-cloudformation");
  const changeSetName = `approvals-${Date.now()}`;
  const ids = { StackName: stackName, ChangeSetName: changeSetName };
  try {
    await cfn.send(
      new cf.CreateChangeSetCommand({
        ...ids,
        ChangeSetType: type,
        TemplateBody: template.body,
        Parameters: parameters,
        Capabilities: ["CAPABILITY_IAM"],
        Description: "Created by approvals deploy",
      }),
    );
  } catch (error) {
    if (NO_CHANGES.test((error as Error).message ?? "")) return { outcome: "no-changes", status: existing?.StackStatus ?? "" };
    throw toUserError(error, "Creating the change set");
  }
  // Leave nothing behind when the change set is not executed: it, and the empty stack a CREATE change set makes.
  const discard = async () => {
    await cfn.send(new cf.DeleteChangeSetCommand(ids)).catch(() => undefined);
    if (type === "CREATE") await cfn.send(new cf.DeleteStackCommand({ StackName: stackName })).catch(() => undefined);
  };
  let changeSet: ChangeSetState;
  try {
    changeSet = await waitForChangeSet(cfn, ids, request.pollMs, request.signal);
  } catch (error) {
    if (request.signal?.aborted) await discard();
    throw error;
  }
  if (changeSet.status === "FAILED") {
    await discard();
    // Only the reason tells "nothing to change" from a real failure: a failed change set lists no changes either way.
    if (NO_CHANGES.test(changeSet.reason ?? "")) return { outcome: "no-changes", status: existing?.StackStatus ?? "" };
    throw new ApprovalsError(`CloudFormation could not create the change set: ${changeSet.reason ?? "no reason given"}.`);
  }
  // A change set that was created is executed even when it lists no resource change: a new
  // parameter value (--email) or output can change nothing but the stack itself.
  try {
    await request.confirmChanges(changeSet.changes, type);
  } catch (error) {
    await discard();
    throw error;
  }
  const since = new Date(Date.now() - 1000);
  try {
    await cfn.send(new cf.ExecuteChangeSetCommand(ids));
  } catch (error) {
    throw toUserError(error, "Executing the change set");
  }
  request.onExecuted?.();
  const watch = await watchStack(cfn, stackName, { since, pollMs: request.pollMs, onEvent: request.onEvent, signal: request.signal });
  return { outcome: "done", type, watch };
}

function emailParameter(template: LoadedTemplate, email: string | undefined, type: "CREATE" | "UPDATE", stackName: string): Parameter[] {
  if (!template.parameters.includes("Email")) return [];
  if (email !== undefined) return [{ ParameterKey: "Email", ParameterValue: email }];
  if (type === "UPDATE") return [{ ParameterKey: "Email", UsePreviousValue: true }];
  throw new UsageError(
    `Stack ${stackName} does not exist yet: --email is required to create it.`,
    "Example: approvals deploy --email ops@example.com",
  );
}

interface ChangeSetState {
  status: string;
  reason: string | undefined;
  changes: Change[];
}

async function waitForChangeSet(
  cfn: CloudFormationClient,
  ids: { StackName: string; ChangeSetName: string },
  pollMs = 2000,
  signal?: AbortSignal,
): Promise<ChangeSetState> {
  const { DescribeChangeSetCommand } = await import("@aws-sdk/client-cloudformation");
  let delay = Math.min(pollMs, 500);
  for (;;) {
    const result = await cfn.send(new DescribeChangeSetCommand(ids)).catch((error: unknown) => {
      throw toUserError(error, "Reading the change set");
    });
    const status = result.Status ?? "";
    if (status === "CREATE_COMPLETE" || status === "FAILED") {
      return { status, reason: result.StatusReason, changes: result.Changes ?? [] };
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, pollMs);
  }
}
