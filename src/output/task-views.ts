// How the tasks of any workflow read: `pending --state-machine`'s table, `show --state-machine`'s
// branches, and their JSON. Everything here but the labels quotes the definition or the history.
import type { ExecutionTasks, RoutedTask } from "../core/machine/execution-tasks.js";
import type { WaitingTask } from "../core/machine/list-tasks.js";
import { taskLabel } from "../core/machine/plan-decision.js";
import { type Scope, suggestCommand } from "../core/suggest.js";
import { safeJson, safeText } from "../lib/safe-text.js";
import { type FitCell, fitTable } from "./fit.js";
import { duration, relativeTime } from "./format.js";
import type { Output } from "./output.js";
import { timeLeft } from "./pending-table.js";

/** `pending --state-machine --json`: one object per waiting task; no token. */
export function waitingTaskJson(t: WaitingTask): Record<string, unknown> {
  return {
    execution: t.execution,
    executionArn: t.executionArn,
    state: t.state,
    mapIndex: t.mapIndex ?? null,
    startDate: t.startDate.toISOString(),
    waitingSince: t.waitingSince.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
  };
}

/** One row per waiting task: (its state machine,) execution, task (with its Map index), started, waiting for, time left. */
export function waitingTaskLines(out: Output, tasks: readonly WaitingTask[], now: Date, machineOf?: (t: WaitingTask) => string): string[] {
  const rows = tasks.map((t): FitCell[] => {
    const left = timeLeft(t, now);
    return [
      ...(machineOf ? [machineOf(t)] : []),
      t.execution,
      taskLabel(t),
      relativeTime(t.startDate, now),
      duration(now.getTime() - t.waitingSince.getTime()),
      { text: left.text, paint: left.soon ? out.style.bold.yellow : undefined },
    ];
  });
  const head = [...(machineOf ? ["STATE MACHINE"] : []), "EXECUTION", "TASK", "STARTED", "WAITING FOR", "TIME LEFT"].map((h) => ({
    head: h,
  }));
  const lines = fitTable(head, rows, out.width);
  lines[0] = out.style.bold(lines[0] ?? "");
  return lines;
}

/** The branches of one task, with the output each sends (null where none can be given, with why). */
export function branchesJson(task: RoutedTask): { to: string; output: unknown; reason: string | null }[] {
  if (task.routes.kind === "no-choice") return [];
  return task.routes.branches.map((b) => ({ to: b.next, output: b.solvable ? b.output : null, reason: b.solvable ? null : b.reason }));
}

/** `show --state-machine --json`. */
export function executionTasksJson(view: ExecutionTasks): Record<string, unknown> {
  return {
    name: view.name,
    executionArn: view.executionArn,
    stateMachineArn: view.machine.arn,
    status: view.status,
    startDate: view.startDate?.toISOString() ?? null,
    tasks: tasksJson(view.tasks),
  };
}

/** The waiting tasks in `show --json`: each with its branches, no token. */
export function tasksJson(tasks: readonly RoutedTask[]): Record<string, unknown>[] {
  return tasks.map((t) => ({
    state: t.state,
    mapIndex: t.mapIndex ?? null,
    waitingSince: t.waitingSince.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    choice: t.routes.kind === "choice" ? t.routes.choiceState : null,
    note: t.routes.kind === "no-choice" ? t.routes.reason : null,
    branches: branchesJson(t),
  }));
}

/** `show --state-machine`: the execution, then each waiting task with its branches and the command that takes each. */
export function printExecutionTasks(out: Output, view: ExecutionTasks, scope: Scope & { stateMachine?: string }, now: Date): void {
  const { style } = out;
  out.result(`${style.bold(safeText(view.name))}  ${style.cyan(safeText(view.status))}`);
  out.result(`  machine   ${safeText(view.machine.name)}`);
  if (view.startDate) out.result(`  started   ${view.startDate.toISOString()}`);
  if (view.tasks.length === 0) {
    out.result("  No task waits for an answer.");
    return;
  }
  for (const task of view.tasks) {
    const label = taskLabel(task);
    const left = timeLeft(task, now);
    out.result();
    out.result(
      `${style.bold(`Task ${safeText(label)}`)}  waiting for ${duration(now.getTime() - task.waitingSince.getTime())}, ${left.text}`,
    );
    if (task.routes.kind === "no-choice") {
      out.result(`  ${safeText(task.routes.reason)}: send any output with --output.`);
      continue;
    }
    out.result(`  ${safeText(task.routes.choiceState)} routes on the answer:`);
    const several = view.tasks.length > 1 ? ["--task", label] : [];
    for (const b of task.routes.branches) {
      out.result(`  → ${safeText(b.next)}`);
      if (!b.solvable) {
        out.result(style.yellow(`      no output for certain: ${safeText(b.reason)}`));
        continue;
      }
      out.result(`      output  ${safeJson(JSON.stringify(b.output))}`);
      out.result(
        style.dim(
          `      ${safeText(suggestCommand(scope, ["decide", view.name, "--to", b.next, ...several, ...machineWords(scope)], { stack: false }))}`,
        ),
      );
    }
  }
}

/** The `--state-machine` words a suggested command repeats. */
export function machineWords(scope: Scope & { stateMachine?: string }): string[] {
  return scope.stateMachine ? ["--state-machine", scope.stateMachine] : [];
}
