import { createHash } from "node:crypto";
import { NotApprovalWorkflowError } from "../../errors.js";

/** A state of an Amazon States Language definition, as far as this tool reads it. */
export interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  End?: boolean;
  TimeoutSeconds?: number;
  Choices?: AslChoice[];
  Default?: string;
  Parameters?: unknown;
  [key: string]: unknown;
}

interface AslChoice {
  Variable?: string;
  StringEquals?: string;
  Next?: string;
  [key: string]: unknown;
}

/** What the tool needs to know about a deployed approval workflow. */
export interface Workflow {
  startAt: string;
  states: Record<string, AslState>;
  /** Name of the Task state that waits for a task token (`Lambda Callback` in the template). */
  callbackState: string;
  /** Seconds an execution may run before Step Functions ends it: the definition's TimeoutSeconds, if set. */
  timeoutSeconds: number | undefined;
  /** Seconds the callback task may wait for its token: the callback state's own TimeoutSeconds, if set. */
  callbackTimeoutSeconds: number | undefined;
  /** The exact `Status` string the Choice state routes to approval, and to rejection. */
  approvedStatus: string;
  rejectedStatus: string;
  /** The Choice state reading the callback's result, and where each decision goes. */
  choiceState: string;
  approvedNext: string;
  rejectedNext: string;
  /** {@link definitionHash} of the definition: tells whether what the deployed definition does changed. */
  fingerprint: string;
}

/**
 * The one hash of a definition: a short digest of its states, what an execution runs (a changed
 * top-level Comment changes nothing it does). Text that is not JSON is hashed as it is.
 */
export function definitionHash(definition: string): string {
  let states: unknown;
  try {
    states = (JSON.parse(definition) as { States?: unknown })?.States;
  } catch {
    states = undefined;
  }
  const text = states === undefined ? definition : JSON.stringify(states);
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

const WAIT_FOR_TOKEN = ".waitForTaskToken";

/**
 * Read a state machine definition: find the callback Task state, the Choice state after it
 * and the two Status strings it routes on. Throws when the definition is not an approval workflow.
 */
export function parseWorkflow(definition: string): Workflow {
  let doc: { StartAt?: string; TimeoutSeconds?: number; States?: Record<string, AslState> };
  try {
    doc = JSON.parse(definition);
  } catch {
    throw new NotApprovalWorkflowError("The state machine definition is not valid JSON.");
  }
  const states = doc.States ?? {};
  const callback = Object.entries(states).find(([, s]) => s.Type === "Task" && s.Resource?.endsWith(WAIT_FOR_TOKEN));
  if (!callback) {
    throw new NotApprovalWorkflowError(`The state machine has no Task state with a ${WAIT_FOR_TOKEN} resource.`);
  }
  const [callbackState, callbackDef] = callback;
  const choiceState = callbackDef.Next;
  const choice = choiceState ? states[choiceState] : undefined;
  if (!choiceState || choice?.Type !== "Choice") {
    throw new NotApprovalWorkflowError(`The state after "${callbackState}" is not a Choice state.`);
  }
  const statusChoices = (choice.Choices ?? []).filter((c) => c.Variable === "$.Status" && typeof c.StringEquals === "string" && c.Next);
  const approved = statusChoices.find((c) => c.StringEquals?.startsWith("Approved!")) ?? statusChoices[0];
  const rejected = statusChoices.find((c) => c.StringEquals?.startsWith("Rejected!")) ?? statusChoices[1];
  if (!approved || !rejected || approved === rejected) {
    throw new NotApprovalWorkflowError(`The Choice state "${choiceState}" does not route on an approved and a rejected $.Status.`);
  }
  return {
    startAt: doc.StartAt ?? callbackState,
    states,
    callbackState,
    timeoutSeconds: typeof doc.TimeoutSeconds === "number" ? doc.TimeoutSeconds : undefined,
    // Counted from when the task was scheduled, not from the execution's start.
    callbackTimeoutSeconds: typeof callbackDef.TimeoutSeconds === "number" ? callbackDef.TimeoutSeconds : undefined,
    approvedStatus: approved.StringEquals as string,
    rejectedStatus: rejected.StringEquals as string,
    choiceState,
    approvedNext: approved.Next as string,
    rejectedNext: rejected.Next as string,
    fingerprint: definitionHash(definition),
  };
}

/** The decisions an operator can send, named as the commands are. */
export type Decision = "approve" | "reject";

/**
 * True when nothing after the callback state can keep an execution running: only Choice,
 * Pass, Succeed and Fail states follow it, also where its Catch leads, and it has no Retry (a
 * retried task waits again under a new token). Then RUNNING alone proves it still waits.
 */
export function endsRightAfterCallback(workflow: Workflow): boolean {
  const instant = new Set(["Choice", "Pass", "Succeed", "Fail"]);
  const seen = new Set<string>();
  const callback = workflow.states[workflow.callbackState];
  if (Array.isArray(callback?.Retry) && callback.Retry.length > 0) return false;
  const catches = Array.isArray(callback?.Catch) ? (callback.Catch as { Next?: unknown }[]).map((c) => c.Next) : [];
  const queue = [callback?.Next, ...catches].filter((next): next is string => typeof next === "string");
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const state = workflow.states[name];
    if (!state || !instant.has(state.Type)) return false;
    for (const next of [state.Next, state.Default, ...(state.Choices ?? []).map((c) => c.Next)]) {
      if (next) queue.push(next);
    }
  }
  return !seen.has(workflow.callbackState);
}
