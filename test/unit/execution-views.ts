// An execution of a corpus workflow as `readExecutionTasks` returns it, built without AWS, for the
// pure planners of decide, approve, reject and fail.
import type { ExecutionTasks, RoutedTask } from "../../src/core/machine/execution-tasks.js";
import { definitionDocument, findCallbackTasks } from "../../src/core/workflow/callbacks.js";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";

/** An execution of a fixture with the given tasks waiting (by state name and Map index). */
export async function viewOf(fixture: string, waiting: { state: string; mapIndex?: number; token?: string }[]): Promise<ExecutionTasks> {
  const definition = definitionDocument(fixtureDefinition(fixture));
  const callbacks = findCallbackTasks(definition);
  const tasks: RoutedTask[] = [];
  for (const [i, w] of waiting.entries()) {
    const task = callbacks.find((c) => c.name === w.state);
    if (!task) throw new Error(`no task ${w.state}`);
    tasks.push({
      state: w.state,
      task,
      mapIndex: w.mapIndex,
      waitingSince: new Date(0),
      timeoutSeconds: undefined,
      token: "token" in w ? w.token : `token-${i}`,
      input: undefined,
      scheduledEventId: 10 + i,
      execution: "run-1",
      executionArn: "arn:aws:states:us-east-1:123456789012:execution:m:run-1",
      startDate: new Date(0),
      expiresAt: undefined,
      routes: await routesAfter(definition, task.path),
    });
  }
  return {
    machine: { arn: "arn", name: "m" },
    name: "run-1",
    executionArn: "arn",
    status: "RUNNING",
    startDate: new Date(0),
    definition,
    tasks,
  };
}
