// What approve, reject and fail send to a task of any state machine, from the corpus: pure, so each
// mapping and refusal is checked without AWS.
import { describe, expect, it } from "vitest";
import { planVerdict } from "../../src/core/machine/plan-verdict.js";
import { CAUSE_LIMIT } from "../../src/core/workflow/decision-record.js";
import { UsageError } from "../../src/errors.js";
import { fixtureExpectations, workflowFixtures } from "../support/workflow-fixtures.js";
import { viewOf } from "./execution-views.js";

interface Expected {
  tasks: {
    path: (string | number)[];
    approve?: string;
    reject?: string;
    mappingRefused?: string;
    routes: { branches?: { next: string; output?: unknown }[] };
  }[];
}

const corpus = workflowFixtures().flatMap((fixture) =>
  fixtureExpectations<Expected>(fixture).tasks.map((task) => [fixture, String(task.path.at(-1)), task] as const),
);

describe("planVerdict", () => {
  it.each(corpus)(
    "%s, task %s: approve and reject go where the corpus says, with the branch's output exactly",
    async (fixture, state, task) => {
      const view = await viewOf(fixture, [{ state }]);
      for (const kind of ["approve", "reject"] as const) {
        const plan = await planVerdict(view, { kind });
        const to = task[kind];
        if (to === undefined) {
          expect(plan.kind).toBe("refuse");
          expect(plan.kind === "refuse" && plan.reason).toContain(task.mappingRefused);
          continue;
        }
        const output = task.routes.branches?.find((b) => b.next === to)?.output;
        expect(plan).toMatchObject({ kind: "success", to, token: "token-0", output: JSON.stringify(output) });
      }
    },
  );

  it("fail records the cause with who decided, or sends it as given without an identity", async () => {
    const view = await viewOf("nested-resultpath", [{ state: "Review" }]);
    const identity = Promise.resolve("arn:aws:iam::123456789012:user/alice");
    const recorded = await planVerdict(view, { kind: "fail", error: "Withdrawn", cause: "gone", identity, decisionId: "d-1" });
    expect(recorded).toMatchObject({ kind: "failure", error: "Withdrawn", token: "token-0" });
    expect(recorded.kind === "failure" && JSON.parse(recorded.cause ?? "")).toEqual({
      Cause: "gone",
      DecidedBy: "arn:aws:iam::123456789012:user/alice",
      Via: "approvals CLI",
      DecisionId: "d-1",
    });
    expect(await planVerdict(view, { kind: "fail", error: "Withdrawn", cause: "gone" })).toMatchObject({ kind: "failure", cause: "gone" });
    expect(await planVerdict(view, { kind: "fail", error: "Withdrawn" })).toMatchObject({ kind: "failure", cause: undefined });
  });

  it("fail refuses a cause the record makes longer than Step Functions takes", async () => {
    const view = await viewOf("nested-resultpath", [{ state: "Review" }]);
    const identity = Promise.resolve("arn:aws:iam::123456789012:user/alice");
    const cause = "x".repeat(CAUSE_LIMIT - 10);
    await expect(planVerdict(view, { kind: "fail", error: "E", cause, identity })).rejects.toThrow(UsageError);
  });

  it("several tasks and none named: a usage error listing them; --task chooses", async () => {
    const view = await viewOf("parallel-two-approvers", [{ state: "Finance" }, { state: "Legal" }]);
    await expect(planVerdict(view, { kind: "approve" })).rejects.toThrow("2 tasks wait in run-1: Finance, Legal.");
    expect(await planVerdict(view, { kind: "reject", task: "Legal" })).toMatchObject({
      kind: "success",
      to: "LegalRejected",
      token: "token-1",
    });
  });

  it("a task whose token was not found is refused, never sent", async () => {
    const view = await viewOf("nested-resultpath", [{ state: "Review", token: undefined }]);
    expect(await planVerdict(view, { kind: "approve" })).toMatchObject({ kind: "refuse" });
    expect(await planVerdict(view, { kind: "fail", error: "E" })).toMatchObject({ kind: "refuse" });
  });
});
