import { toUserError } from "../../aws/errors.js";
import type { DescribedStateMachine } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { CONCURRENCY } from "../../settings.js";
import { storeScope } from "../store.js";
import { definitionDocument, findCallbackTasks } from "../workflow/callbacks.js";
import { type DefinitionCache, holdsFor, openDefinitionCache, type RememberedDefinition } from "./definition-cache.js";
import { tasksOfRunning, type WaitingTask } from "./list-tasks.js";
import type { NamedMachine } from "./resolve.js";
import { openTaskCache } from "./task-cache.js";

/** A waiting task, with the state machine it waits in. */
export interface MachineTask extends WaitingTask {
  machine: NamedMachine;
}

/** What {@link listTasksAcrossMachines} found and did. */
export interface AcrossMachines {
  /** Every state machine of the region (their names feed shell completion). */
  machines: NamedMachine[];
  tasks: MachineTask[];
  /** Calls made, for `--debug` and the docs' cost: ListExecutions per machine, DescribeStateMachine only where needed. */
  report: { machines: number; described: number; withCallbacks: number; running: number; verified: number; read: number };
}

/**
 * `pending --all-state-machines`'s use case: the waiting tasks of every state machine of the region
 * whose definition has a callback task. ListStateMachines (1,000 a page), then per state machine, at
 * most {@link CONCURRENCY} at a time: ListExecutions of the RUNNING ones and, only when some run and
 * the remembered definition does not cover them all (none remembered, or an execution started after
 * it was read), DescribeStateMachine. Warm, a state machine costs one ListExecutions, plus the
 * one-event history read per running execution that `pending --state-machine` makes.
 */
export async function listTasksAcrossMachines(ctx: Context, options: { cache?: boolean } = {}): Promise<AcrossMachines> {
  const sfn = await ctx.sfn();
  const scope = options.cache === false ? undefined : await storeScope(ctx);
  const machines: NamedMachine[] = [];
  try {
    for await (const page of sfn.stateMachinePages()) {
      for (const m of page) if (m.stateMachineArn) machines.push({ arn: m.stateMachineArn, name: m.name ?? "" });
    }
  } catch (error) {
    throw toUserError(error, "Listing state machines");
  }
  const definitions: DefinitionCache | undefined = scope ? await openDefinitionCache(scope, { env: ctx.env }) : undefined;
  const report = { machines: machines.length, described: 0, withCallbacks: 0, running: 0, verified: 0, read: 0 };
  // ListExecutions refills at 2 to 5 calls a second: the gateway's window waits out its refusals.
  const perMachine = await sfn
    .readHistories(
      machines,
      async (machine, reads): Promise<MachineTask[]> => {
        try {
          const running = await reads.runningExecutions(machine.arn);
          if (running.length === 0) return [];
          let entry = definitions?.get(machine.arn);
          if (
            !holdsFor(
              entry,
              running.map((r) => r.startDate),
            )
          ) {
            const readAt = ctx.now().toISOString();
            const described = await reads.describeStateMachine(machine.arn);
            report.described++;
            entry = rememberedOf(described, readAt);
            definitions?.set(machine.arn, entry);
          }
          if (!entry?.hasCallback || !entry.definition) return [];
          report.withCallbacks++;
          const cache = scope ? await openTaskCache(scope, machine.arn, { env: ctx.env }) : undefined;
          const found = await tasksOfRunning(sfn, definitionDocument(entry.definition), running, cache);
          await cache?.save();
          report.running += found.report.running;
          report.verified += found.report.verified;
          report.read += found.report.read;
          return found.tasks.map((t) => ({ ...t, machine }));
        } catch (error) {
          // A state machine deleted between the listing and its reads has nothing waiting.
          if ((error as { name?: string }).name === "StateMachineDoesNotExist") return [];
          throw toUserError(error, `Reading state machine ${machine.name}`);
        }
      },
      { initial: CONCURRENCY, max: CONCURRENCY },
    )
    .catch((error) => Promise.reject(toUserError(error, "Reading the region's state machines")));
  await definitions?.save();
  const tasks = perMachine.flat().sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  return { machines, tasks, report };
}

/** What to remember of a described state machine: its revision, and its definition only when it has a callback task. */
function rememberedOf(described: DescribedStateMachine, readAt: string): RememberedDefinition {
  const text = described.definition ?? "{}";
  let hasCallback = false;
  try {
    hasCallback = findCallbackTasks(text).length > 0;
  } catch {
    hasCallback = false;
  }
  const revision = described.revisionId ?? described.creationDate?.toISOString() ?? "";
  return hasCallback ? { revision, readAt, hasCallback, definition: text } : { revision, readAt, hasCallback };
}
