import { describe, expect, it } from "vitest";
import { approveRejectMapping } from "../../src/core/workflow/approve-reject.js";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { type StateFields, workflow } from "./workflow-builders.js";

async function mapping(rules: StateFields[], choice: StateFields = {}) {
  const result = approveRejectMapping(await routesAfter(workflow(rules, { choice }), ["Ask"]));
  return result.approve ? { approve: result.approve.next, reject: result.reject.next, by: result.by } : { reason: result.reason };
}
const equals = (value: unknown, Next: string, Variable = "$.v") => ({
  Variable,
  [typeof value === "boolean" ? "BooleanEquals" : "StringEquals"]: value,
  Next,
});

describe("approveRejectMapping", () => {
  it("maps a boolean compared to true and false, in either order, whatever the states are called", async () => {
    expect(await mapping([equals(false, "Second"), equals(true, "First")], { Default: "Else" })).toEqual({
      approve: "First",
      reject: "Second",
      by: "boolean",
    });
  });

  it("maps by the words of target names and compared strings, beside neutral branches", async () => {
    expect(await mapping([equals("yes", "Publish"), equals("no way", "Escalate"), equals("x", "DenyRequest")])).toMatchObject({
      reason: expect.any(String),
    });
    expect(await mapping([equals("accept", "Go"), equals("later", "Escalate"), equals("x", "DenyRequest")])).toEqual({
      approve: "Go",
      reject: "DenyRequest",
      by: "names",
    });
  });

  it("refuses negated or mixed words, and two branches saying the same", async () => {
    expect(await mapping([equals("a", "NotApproved"), equals("b", "Rejected")])).toMatchObject({
      reason: expect.stringContaining("says which"),
    });
    expect(await mapping([equals("a", "ApproveOrReject"), equals("b", "Rejected")])).toMatchObject({
      reason: expect.stringContaining("says which"),
    });
    expect(await mapping([equals("a", "Approve"), equals("b", "Accepted"), equals("c", "Reject")])).toMatchObject({
      reason: expect.stringContaining("says which"),
    });
    expect(await mapping([equals("a", "Unapproved"), equals("b", "Disapproved")])).toMatchObject({
      reason: expect.stringContaining("says which"),
    });
  });

  it("refuses when the boolean and the names contradict", async () => {
    expect(await mapping([equals(true, "Rejected"), equals(false, "Approved")])).toMatchObject({
      reason: expect.stringContaining("contradicting"),
    });
  });

  it("never counts Default or a branch it cannot solve", async () => {
    expect(await mapping([equals(true, "Approved")], { Default: "Rejected" })).toMatchObject({
      reason: expect.stringContaining("1 branch"),
    });
    expect(await mapping([equals("a", "Approved"), equals("b", "Rejected", "$$.Execution.Name")])).toMatchObject({
      reason: expect.stringContaining("1 branch"),
    });
  });

  it("says nothing routes on the answer when there is no Choice", async () => {
    const doc = workflow([]);
    doc.States!.Ask = { ...doc.States!.Ask!, Next: "Done" };
    Object.assign(doc.States!, { Done: { Type: "Succeed" } });
    expect(approveRejectMapping(await routesAfter(doc, ["Ask"]))).toMatchObject({
      reason: expect.stringContaining("nothing routes on the answer"),
    });
  });
});
