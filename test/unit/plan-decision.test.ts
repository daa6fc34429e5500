// What `decide` sends, from the execution as read: pure, so each refusal is checked without AWS.
import { describe, expect, it } from "vitest";
import { checkDecideRequest, planDecision } from "../../src/core/machine/plan-decision.js";
import { NotFoundError, UsageError } from "../../src/errors.js";
import { viewOf } from "./execution-views.js";

describe("planDecision", () => {
  it("sends the output that routes to --to, with the task's own token", async () => {
    const plan = planDecision(await viewOf("variable-three-ways", [{ state: "Ask" }]), { to: "Escalate" });
    expect(plan).toMatchObject({ kind: "send", output: '{"decision":"escalate"}', token: "token-0" });
  });

  it("sends --output exactly as given, spacing and all", async () => {
    const output = '{ "decision" : "approve" }';
    expect(planDecision(await viewOf("variable-three-ways", [{ state: "Ask" }]), { output })).toMatchObject({ kind: "send", output });
  });

  it("refuses a state no branch goes to, showing the Choice", async () => {
    const plan = planDecision(await viewOf("variable-three-ways", [{ state: "Ask" }]), { to: "Nowhere" });
    expect(plan).toMatchObject({ kind: "refuse", state: { name: "Route", definition: { Type: "Choice" } } });
    expect(plan.kind === "refuse" && plan.reason).toBe(
      'No branch of Route goes to "Nowhere"; its branches go to Approve, Reject, Escalate, Unknown.',
    );
  });

  it("refuses a branch that cannot be solved for certain, with the reason", async () => {
    const plan = planDecision(await viewOf("unsolvable", [{ state: "Ask" }]), { to: "Big" });
    expect(plan.kind).toBe("refuse");
    expect(plan.kind === "refuse" && plan.reason).toMatch(/^No output can be given for certain that takes Route to Big: /);
  });

  it("refuses when nothing routes on the answer, showing the task", async () => {
    const plan = planDecision(await viewOf("no-choice", [{ state: "Acknowledge" }]), { to: "Done" });
    expect(plan).toMatchObject({ kind: "refuse", state: { name: "Acknowledge" } });
  });

  it("refuses a task whose token is not where its definition puts it", async () => {
    const plan = planDecision(await viewOf("seed-jsonata", [{ state: "Ask", token: undefined }]), { to: "ApprovedPassState" });
    expect(plan).toMatchObject({ kind: "refuse" });
  });

  it("chooses among several tasks only by --task; a Map index tells iterations apart", async () => {
    const parallel = await viewOf("parallel-two-approvers", [{ state: "Finance" }, { state: "Legal" }]);
    expect(() => planDecision(parallel, { to: "LegalRejected" })).toThrow(UsageError);
    expect(planDecision(parallel, { task: "Legal", to: "LegalRejected" })).toMatchObject({ kind: "send", token: "token-1" });
    expect(() => planDecision(parallel, { task: "Nobody", to: "LegalRejected" })).toThrow(
      /No task named "Nobody" waits in run-1; waiting: Finance, Legal\./,
    );
    const map = await viewOf("map-per-item", [
      { state: "AskItem", mapIndex: 0 },
      { state: "AskItem", mapIndex: 1 },
    ]);
    expect(() => planDecision(map, { task: "AskItem", to: "Accepted" })).toThrow(/AskItem\[0\], AskItem\[1\]/);
    expect(planDecision(map, { task: "AskItem[1]", to: "Accepted" })).toMatchObject({ kind: "send", token: "token-1" });
  });

  it("an execution with nothing waiting is not found (exit 3)", async () => {
    const idle = await viewOf("seed-jsonata", []);
    expect(() => planDecision(idle, { to: "ApprovedPassState" })).toThrow(NotFoundError);
  });
});

describe("checkDecideRequest", () => {
  it.each([{}, { to: "A", output: "{}" }, { output: "{nope" }])("refuses %j", (request) => {
    expect(() => checkDecideRequest(request)).toThrow(UsageError);
  });
});
