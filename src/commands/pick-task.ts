import type { ExecutionTasks } from "../core/machine/execution-tasks.js";
import { taskLabel } from "../core/machine/plan-decision.js";
import { safeText } from "../lib/safe-text.js";
import { duration } from "../output/format.js";
import type { CommandContext } from "./context.js";

/** At a terminal, when several tasks wait in the execution: which one `decide` answers (its `--task` label). */
export async function pickTask(ctx: CommandContext, view: ExecutionTasks): Promise<string> {
  const now = ctx.now();
  const { select } = await import("../output/prompts.js");
  return ctx.out.prompt((context) =>
    select(
      {
        message: safeText(`${view.tasks.length} tasks wait in ${view.name}: which one to answer?`),
        choices: view.tasks.map((t) => ({
          value: taskLabel(t),
          name: safeText(`${taskLabel(t)}  waiting for ${duration(now.getTime() - t.waitingSince.getTime())}`),
        })),
      },
      context,
    ),
  );
}
