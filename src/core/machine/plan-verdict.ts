// What `approve`, `reject` and `fail` send to a task of any state machine (`--state-machine`), from
// the execution as read. Pure but for awaiting who decides; anything not certain is a refusal.
import { UsageError } from "../../errors.js";
import { approveRejectMapping } from "../workflow/approve-reject.js";
import { CAUSE_LIMIT, recordedCause, VIA_CLI } from "../workflow/decision-record.js";
import type { ExecutionTasks, RoutedTask } from "./execution-tasks.js";
import { chooseTask, taskLabel } from "./plan-decision.js";

/** What the operator asked of one execution of any state machine. */
export interface VerdictRequest {
  kind: "approve" | "reject" | "fail";
  /** `--task`: the state name of the task to answer (`Name[2]` for a Map iteration). */
  task?: string;
  /** fail: `--error` and `--cause`. */
  error?: string;
  cause?: string;
  /** fail: who decides (STS), to record with the cause; undefined with `--exact-payload` (the cause as given). */
  identity?: Promise<string>;
  /** fail: the record's DecisionId. */
  decisionId?: string;
}

/** What will be sent to the task, or why nothing is. */
export type VerdictPlan =
  | { kind: "success"; task: RoutedTask; token: string; output: string; to: string }
  | { kind: "failure"; task: RoutedTask; token: string; error: string; cause?: string }
  | { kind: "refuse"; task: RoutedTask; reason: string };

/**
 * approve/reject send the output the route solver proved takes the branch `approveRejectMapping`
 * maps the verdict to, exactly as solved: nothing is added (a record beside it could change where
 * the workflow goes, for a Choice or a later state that reads the whole answer). Where the mapping
 * is not certain, a refusal says why. fail sends `--error` and the cause, recorded with who decided
 * as on the stack's workflow unless `identity` is undefined. Throws a {@link UsageError} when the
 * task cannot be chosen (several wait and none named) or the recorded cause is too long.
 */
export async function planVerdict(view: ExecutionTasks, request: VerdictRequest): Promise<VerdictPlan> {
  const task = chooseTask(view, request.task);
  const label = taskLabel(task);
  if (!task.token) {
    return { kind: "refuse", task, reason: `the task token of ${label} is not in its TaskScheduled event where its definition puts it` };
  }
  if (request.kind === "fail") {
    const record = request.identity && {
      decidedBy: await request.identity,
      via: VIA_CLI,
      decisionId: request.decisionId ?? "",
    };
    const cause = record ? recordedCause(request.cause, record) : request.cause;
    if (cause !== undefined && [...cause].length > CAUSE_LIMIT) {
      throw new UsageError(`--cause with the record of who decided is longer than ${CAUSE_LIMIT} characters, Step Functions' limit.`);
    }
    return { kind: "failure", task, token: task.token, error: request.error ?? "", cause };
  }
  const mapping = approveRejectMapping(task.routes);
  const branch = mapping[request.kind];
  if (!branch) return { kind: "refuse", task, reason: `${request.kind} cannot be told from the definition: ${mappingReason(mapping)}` };
  return { kind: "success", task, token: task.token, output: JSON.stringify(branch.output), to: branch.next };
}

function mappingReason(mapping: ReturnType<typeof approveRejectMapping>): string {
  return "reason" in mapping ? mapping.reason : "no branch";
}
