// Every workflow of test/fixtures/workflows through the pure analysis: the callback tasks found, and
// for each the branches with the outputs its sibling *.expect.json names (or why there is none).
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { approveRejectMapping } from "../../src/core/workflow/approve-reject.js";
import { findCallbackTasks, locateState } from "../../src/core/workflow/callbacks.js";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { fixtureDefinition, fixtureExpectations, workflowFixtures } from "../support/workflow-fixtures.js";

interface ExpectedBranch {
  next: string;
  rule: number | "Default";
  output?: Record<string, unknown>;
  unsolvable?: string;
}
interface ExpectedTask {
  path: (string | number)[];
  queryLanguage: string;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  routes: { choiceState: string; via: string[]; branches: ExpectedBranch[] } | { noChoice: string; via: string[] };
  approve?: string;
  reject?: string;
  mappedBy?: string;
  mappingRefused?: string;
}

const names = workflowFixtures();

/** A JSONata field value as Step Functions evaluates it: each `{% %}` string by the jsonata package. */
async function evaluateField(value: unknown, bindings: Record<string, unknown>): Promise<unknown> {
  if (typeof value === "string") {
    const match = /^\{%([\s\S]*)%\}$/.exec(value.trim());
    return match ? jsonata(match[1] as string).evaluate({}, bindings) : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Promise.all(value.map((v) => evaluateField(v, bindings)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = await evaluateField(v, bindings);
  return out;
}

/**
 * Where a JSONata workflow goes when the task at `path` answers `output`, run by the jsonata package
 * alone (the task's Output and Assign, the Pass states' Output, then the Choice's conditions in order):
 * a check of the analysis that shares none of its code.
 */
async function jsonataRun(definition: string, path: (string | number)[], output: unknown): Promise<string | undefined> {
  const found = locateState(JSON.parse(definition), path);
  if (!found) throw new Error("no task");
  const states = found.scope.states;
  const taskBindings = { states: { input: {}, result: output, context: {} } };
  let data = "Output" in found.state ? await evaluateField(found.state.Output, taskBindings) : output;
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((found.state.Assign as Record<string, unknown>) ?? {}))
    variables[k] = await evaluateField(v, taskBindings);
  for (let name = found.state.Next; typeof name === "string"; ) {
    const state = states[name]!;
    if (state.Type === "Pass") {
      if ("Output" in state) data = await evaluateField(state.Output, { ...variables, states: { input: data, context: {} } });
      name = state.Next;
      continue;
    }
    if (state.Type !== "Choice") return undefined;
    for (const rule of state.Choices ?? []) {
      if ((await evaluateField(rule.Condition, { ...variables, states: { input: data, context: {} } })) === true) return rule.Next;
    }
    return state.Default;
  }
  return undefined;
}

describe("the workflow corpus", () => {
  it("holds the nine workflows, each with its expectations", () => {
    expect(names).toEqual([
      "map-per-item",
      "nested-resultpath",
      "no-choice",
      "parallel-two-approvers",
      "seed-jsonata",
      "seed-status",
      "sequence-two-levels",
      "unsolvable",
      "variable-three-ways",
    ]);
  });

  describe.each(names)("%s", (name) => {
    const definition = fixtureDefinition(name);
    const expected = fixtureExpectations<{ tasks: ExpectedTask[] }>(name).tasks;

    it("finds exactly the callback tasks expected", () => {
      const tasks = findCallbackTasks(definition);
      expect(
        tasks.map((t) => ({ path: t.path, queryLanguage: t.queryLanguage, timeout: t.timeoutSeconds, heartbeat: t.heartbeatSeconds })),
      ).toEqual(
        expected.map((t) => ({ path: t.path, queryLanguage: t.queryLanguage, timeout: t.timeoutSeconds, heartbeat: t.heartbeatSeconds })),
      );
    });

    it.each(expected.map((task) => [task.path.join(" / "), task] as const))("routes the answer of %s", async (_label, task) => {
      const routes = await routesAfter(definition, task.path);
      if ("noChoice" in task.routes) {
        expect(routes).toMatchObject({ kind: "no-choice", via: task.routes.via });
        expect(routes.kind === "no-choice" && routes.reason).toContain(task.routes.noChoice);
      } else {
        if (routes.kind !== "choice") throw new Error(`expected a Choice, got: ${JSON.stringify(routes)}`);
        expect({ choiceState: routes.choiceState, via: routes.via }).toEqual({
          choiceState: task.routes.choiceState,
          via: task.routes.via,
        });
        expect(routes.branches.map((b) => [b.next, b.rule])).toEqual(task.routes.branches.map((b) => [b.next, b.rule]));
        for (const [i, want] of task.routes.branches.entries()) {
          const branch = routes.branches[i];
          if (want.output) expect(branch).toMatchObject({ solvable: true, output: want.output });
          else {
            expect(branch?.solvable).toBe(false);
            expect(branch && !branch.solvable && branch.reason).toContain(want.unsolvable);
          }
        }
      }
      if (task.queryLanguage === "JSONata" && routes.kind === "choice") {
        for (const branch of routes.branches) {
          if (!branch.solvable) continue;
          expect(await jsonataRun(definition, task.path, branch.output), JSON.stringify(branch.output)).toBe(branch.next);
        }
      }
      const mapping = approveRejectMapping(routes);
      if (task.approve) {
        expect({ approve: mapping.approve?.next, reject: mapping.reject?.next, by: "by" in mapping && mapping.by }).toEqual({
          approve: task.approve,
          reject: task.reject,
          by: task.mappedBy,
        });
      } else {
        expect(mapping.approve).toBeUndefined();
        expect("reason" in mapping && mapping.reason).toContain(task.mappingRefused);
      }
    });
  });
});
