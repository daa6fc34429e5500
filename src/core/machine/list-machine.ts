import { toUserError } from "../../aws/errors.js";
import type { ExecutionStatus } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_LIST_LIMIT } from "../../settings.js";
import { type ListFilterText, parseListFlags } from "../executions/list-filter.js";
import { resolveStateMachine } from "./resolve.js";

/** One execution of any state machine, as `list --state-machine` reports it. Dates are ISO strings. */
export interface MachineExecution {
  name: string;
  executionArn: string;
  /** The Step Functions status: RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED (or PENDING_REDRIVE). */
  status: string;
  startDate: string;
  stopDate: string | null;
}

/** What `--status` may say for any state machine: its Step Functions statuses (what approved or rejected means is the workflow's own). */
const STATUSES: Record<string, ExecutionStatus> = {
  running: "RUNNING",
  succeeded: "SUCCEEDED",
  failed: "FAILED",
  "timed-out": "TIMED_OUT",
  aborted: "ABORTED",
};

/** Check `list --state-machine`'s options before anything is sent. */
export function parseMachineListFlags(flags: ListFilterText, now: Date): { status?: ExecutionStatus; since?: Date; limit: number } {
  const { since, limit } = parseListFlags({ ...flags, status: undefined }, now);
  if (flags.status === undefined) return { since, limit: limit ?? DEFAULT_LIST_LIMIT };
  const status = STATUSES[flags.status.toLowerCase().replace(/_/g, "-")];
  if (!status) {
    throw new UsageError(
      `--status ${JSON.stringify(flags.status)} is not a Step Functions status.`,
      `With --state-machine use one of: ${Object.keys(STATUSES).join(", ")}.`,
    );
  }
  return { status, since, limit: limit ?? DEFAULT_LIST_LIMIT };
}

/**
 * `list --state-machine`'s use case: the state machine's executions, newest first, from
 * ListExecutions alone (`states:ListExecutions`; a name also needs ListStateMachines).
 */
export async function listMachineExecutions(
  ctx: Context,
  stateMachine: string,
  filter: { status?: ExecutionStatus; since?: Date; limit: number },
): Promise<MachineExecution[]> {
  const sfn = await ctx.sfn();
  const machine = await resolveStateMachine(sfn, stateMachine);
  const found: MachineExecution[] = [];
  try {
    for await (const page of sfn.executionPages(machine.arn, { status: filter.status, pageSize: 100 })) {
      const items = [...page].sort((a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0));
      for (const item of items) {
        if (filter.since && (item.startDate?.getTime() ?? 0) < filter.since.getTime()) continue;
        found.push({
          name: item.name ?? "",
          executionArn: item.executionArn ?? "",
          status: item.status ?? "UNKNOWN",
          startDate: item.startDate?.toISOString() ?? "",
          stopDate: item.stopDate?.toISOString() ?? null,
        });
      }
      // Pages come newest first: once one reaches back past --since, the rest are older still.
      if (
        found.length >= filter.limit ||
        (filter.since && items.some((i) => (i.startDate?.getTime() ?? 0) < (filter.since?.getTime() ?? 0)))
      )
        break;
    }
  } catch (error) {
    throw toUserError(error, "Listing executions");
  }
  return found.slice(0, filter.limit);
}
