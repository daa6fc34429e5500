import { toUserError } from "../../aws/errors.js";
import type { Context } from "../../context.js";
import type { Workflow } from "../workflow/definition.js";
import { branchTaken, traceExecution } from "../workflow/graph.js";
import { executionName } from "./names.js";

/** Where an execution went after a decision, as `--wait` reports it. */
export interface FollowResult {
  /** SUCCEEDED, FAILED, TIMED_OUT, ABORTED; RUNNING when the wait ran out first. */
  status: string;
  /** False when the wait ran out before the execution ended. */
  finished: boolean;
  /** The state the Choice after the callback sent it to (`ApprovedPassState`), if it got there. */
  branch: string | null;
  /** The last state it entered. */
  lastState: string | null;
  /** Every state it entered, in order. */
  path: string[];
  stopDate: string | null;
  error: string | null;
  cause: string | null;
}

/**
 * Poll an execution until it ends or `timeoutMs` passes, then read its history to say which branch
 * it took. Polls start at 100 ms and double up to `ctx.pollMs`: after a decision the template's
 * execution ends within milliseconds, while longer workflows are not polled hard. `ctx.signal`
 * aborts the wait (Ctrl-C); the execution goes on at AWS.
 */
export async function followExecution(
  ctx: Context,
  executionArn: string,
  workflow: Pick<Workflow, "choiceState">,
  timeoutMs: number,
): Promise<FollowResult> {
  const sfn = await ctx.sfn();
  const deadline = ctx.now().getTime() + timeoutMs;
  const maxDelay = ctx.pollMs;
  let delay = Math.min(100, maxDelay);
  try {
    for (;;) {
      const execution = await sfn.describeExecution(executionArn, { abortSignal: ctx.signal });
      const status = execution.status ?? "UNKNOWN";
      const finished = status !== "RUNNING";
      if (finished || ctx.now().getTime() + delay > deadline) {
        const trace = traceExecution(await sfn.fullHistory(executionArn), status);
        return {
          status,
          finished,
          branch: branchTaken(trace, workflow.choiceState) ?? null,
          lastState: trace.visited.at(-1) ?? null,
          path: trace.visited,
          stopDate: execution.stopDate?.toISOString() ?? null,
          error: execution.error ?? null,
          cause: execution.cause ?? null,
        };
      }
      await ctx.sleep(delay, ctx.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
    throw toUserError(error, `Following execution ${executionName(executionArn)}`);
  }
}
