import type { SFNClient } from "@aws-sdk/client-sfn";
import { toUserError } from "../../errors.js";
import { sleep } from "../../lib/async.js";
import type { Workflow } from "../workflow/definition.js";
import { branchTaken, traceExecution } from "../workflow/graph.js";
import { executionName } from "./names.js";
import { readFullHistory } from "./report.js";

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

/** Options of {@link followExecution}. */
export interface FollowOptions {
  /** Give up after this long; default 5 minutes. */
  timeoutMs?: number;
  /** Longest pause between polls; default 2 s (the first polls are quicker). */
  pollMs?: number;
  /** Aborts the wait (Ctrl-C); the execution goes on at AWS. */
  signal?: AbortSignal;
}

/**
 * Poll an execution until it ends (bounded), then read its history to say which branch it took.
 * Polls start at 100 ms and double up to `pollMs`: after a decision the template's execution
 * ends within milliseconds, while longer workflows are not polled hard.
 */
export async function followExecution(
  sfn: SFNClient,
  executionArn: string,
  workflow: Pick<Workflow, "choiceState">,
  options: FollowOptions = {},
): Promise<FollowResult> {
  const { DescribeExecutionCommand } = await import("@aws-sdk/client-sfn");
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const maxDelay = options.pollMs ?? 2000;
  let delay = Math.min(100, maxDelay);
  try {
    for (;;) {
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }), { abortSignal: options.signal });
      const status = execution.status ?? "UNKNOWN";
      const finished = status !== "RUNNING";
      if (finished || Date.now() + delay > deadline) {
        const trace = traceExecution(await readFullHistory(sfn, executionArn), status);
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
      await sleep(delay, options.signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    throw toUserError(error, `Following execution ${executionName(executionArn)}`);
  }
}
