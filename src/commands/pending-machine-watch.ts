import { taskLabel } from "../core/machine/plan-decision.js";
import { type TaskSnapshot, watchTasks } from "../core/machine/watch-tasks.js";
import { safeText } from "../lib/safe-text.js";
import { waitingTaskLines } from "../output/task-views.js";
import type { CommandContext } from "./context.js";

/**
 * `pending --watch --state-machine`: at a terminal the task table redrawn in place, tasks that
 * stopped waiting noted above it; in a pipe one line per change (`+` began waiting, `-` stopped).
 * Ctrl-C ends it with exit 0.
 */
export async function watchMachine(
  ctx: CommandContext,
  stateMachine: string,
  options: { intervalMs: number; bell?: boolean; cache?: boolean },
) {
  const { out } = ctx;
  const live = out.stdoutIsTerminal && ctx.env.TERM !== "dumb" ? out.liveRegion() : undefined;
  const row = (t: TaskSnapshot["tasks"][number]) => `${safeText(t.execution)}  ${safeText(taskLabel(t))}`;
  const show = (s: TaskSnapshot) => {
    const time = s.at.toISOString().slice(11, 19);
    const left = s.left.map((t) => `${out.style.dim(time)} - ${row(t)} stopped waiting`);
    if (live) {
      const frame = s.tasks.length ? waitingTaskLines(out, s.tasks, ctx.now()) : [out.style.dim("No tasks are waiting for an answer.")];
      frame.push(
        out.style.dim(
          `${s.tasks.length} waiting · updated ${time} UTC · Ctrl-C stops${s.error ? ` · last refresh failed: ${safeText(s.error.message)}` : ""}`,
        ),
      );
      live.draw(left, frame);
      if (options.bell && s.arrived.length > 0) live.bell();
      return;
    }
    for (const t of s.first ? s.tasks : s.arrived) out.result(`+ ${row(t)}`);
    for (const t of s.left) out.result(`- ${row(t)} stopped waiting`);
    if (s.error) out.warn(`refresh failed, trying again in ${options.intervalMs / 1000} s: ${s.error.message}`);
  };
  if (!live)
    out.info(
      out.style.dim(safeText(`Watching ${stateMachine} every ${options.intervalMs / 1000} s: + began waiting, - stopped. Ctrl-C stops.`)),
    );
  try {
    for await (const snapshot of watchTasks(ctx, stateMachine, options)) show(snapshot);
  } catch (error) {
    if (!ctx.signal.aborted) throw error;
  }
  out.info(`${live ? "\n" : ""}Stopped watching.`);
  return 0;
}
