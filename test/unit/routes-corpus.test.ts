// Every workflow of test/fixtures/workflows through the pure analysis: the callback tasks found, and
// for each the branches with the outputs its sibling *.expect.json names (or why there is none).
import { describe, expect, it } from "vitest";
import { approveRejectMapping } from "../../src/core/workflow/approve-reject.js";
import { findCallbackTasks } from "../../src/core/workflow/callbacks.js";
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
