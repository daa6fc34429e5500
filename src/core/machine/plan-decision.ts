// What `decide` sends, from the execution as read: the task chosen, and the output that routes it
// to the state asked for. Pure; anything not certain is a refusal that names what was read.
import { NotFoundError, UsageError } from "../../errors.js";
import { locateState } from "../workflow/callbacks.js";
import type { AslState } from "../workflow/definition.js";
import type { ExecutionTasks, RoutedTask } from "./execution-tasks.js";

/** What the user asked `decide` for. */
export interface DecideRequest {
  /** `--task`: the state name of the task to answer (`Name[2]` for a Map iteration). */
  task?: string;
  /** `--to`: the state the answer must take the workflow to. */
  to?: string;
  /** `--output`: the exact JSON text to send. */
  output?: string;
}

/** What `decide` will send, or why it sends nothing. */
export type DecisionPlan =
  | { kind: "send"; task: RoutedTask; output: string; token: string }
  | {
      kind: "refuse";
      reason: string;
      /** The state whose rules were read (the Choice, or the task when nothing routes), as in the definition: untrusted. */
      state?: { name: string; definition: AslState };
    };

/** A task as the CLI names it: its state name, and its Map index in brackets when inside a Map. */
export function taskLabel(task: Pick<RoutedTask, "state" | "mapIndex">): string {
  return task.mapIndex === undefined ? task.state : `${task.state}[${task.mapIndex}]`;
}

/** Refuse, before anything is read, a request that gives neither or both of --to and --output, or --output that is not JSON. */
export function checkDecideRequest(request: DecideRequest): void {
  if ((request.to === undefined) === (request.output === undefined)) {
    throw new UsageError(
      "Say what to send: --to <State> (the output that routes there) or --output <json> (sent exactly as given), not both.",
    );
  }
  if (request.output !== undefined) {
    try {
      JSON.parse(request.output);
    } catch (error) {
      throw new UsageError(`--output is not JSON: ${(error as Error).message}`, "Example: --output '{\"approved\":true}'");
    }
  }
}

/** The task the request means: the only one waiting, or the one --task names. */
export function chooseTask(view: ExecutionTasks, wanted: string | undefined): RoutedTask {
  const { tasks } = view;
  if (tasks.length === 0) {
    throw new NotFoundError(`Execution ${view.name} is not waiting for a decision (${view.status}).`);
  }
  const list = tasks.map(taskLabel).join(", ");
  if (wanted === undefined) {
    if (tasks.length === 1) return tasks[0] as RoutedTask;
    throw new UsageError(`${tasks.length} tasks wait in ${view.name}: ${list}.`, "Choose one with --task <state name>.");
  }
  const matching = tasks.filter((t) => taskLabel(t) === wanted || t.state === wanted);
  if (matching.length === 1) return matching[0] as RoutedTask;
  if (matching.length === 0) throw new UsageError(`No task named ${JSON.stringify(wanted)} waits in ${view.name}; waiting: ${list}.`);
  throw new UsageError(
    `${matching.length} tasks named ${JSON.stringify(wanted)} wait in ${view.name}: ${matching.map(taskLabel).join(", ")}.`,
    `Choose one with its Map index, e.g. --task '${taskLabel(matching[0] as RoutedTask)}'.`,
  );
}

/**
 * The output to send: `--output` exactly as given, or the output routesAfter proved takes the
 * branch to `--to`. A refusal (nothing routes on the answer, no branch goes there, the branch
 * cannot be solved for certain) carries the state read, to show; nothing is sent then.
 */
export function planDecision(view: ExecutionTasks, request: DecideRequest): DecisionPlan {
  const task = chooseTask(view, request.task);
  if (!task.token) {
    return {
      kind: "refuse",
      reason: `The task token of ${taskLabel(task)} is not in its TaskScheduled event where its definition puts it.`,
    };
  }
  if (request.output !== undefined) return { kind: "send", task, output: request.output, token: task.token };
  const { routes } = task;
  const at = (name: string) => {
    const found = locateState(view.definition, [...task.task.path.slice(0, -1), name]);
    return found ? { name, definition: found.state } : undefined;
  };
  if (routes.kind === "no-choice") {
    return { kind: "refuse", reason: `No answer routes ${taskLabel(task)}: ${routes.reason}.`, state: at(task.state) };
  }
  const choice = at(routes.choiceState);
  const toTarget = routes.branches.filter((b) => b.next === request.to);
  const solved = toTarget.find((b) => b.solvable);
  if (solved?.solvable) return { kind: "send", task, output: JSON.stringify(solved.output), token: task.token };
  if (toTarget.length === 0) {
    const targets = [...new Set(routes.branches.map((b) => b.next))].join(", ");
    return {
      kind: "refuse",
      reason: `No branch of ${routes.choiceState} goes to ${JSON.stringify(request.to)}; its branches go to ${targets}.`,
      state: choice,
    };
  }
  const reasons = toTarget.flatMap((b) => (b.solvable ? [] : [b.reason]));
  return {
    kind: "refuse",
    reason: `No output can be given for certain that takes ${routes.choiceState} to ${request.to}: ${reasons.join("; ")}.`,
    state: choice,
  };
}
