import { describe, expect, it } from "vitest";
import { listedOf } from "../../src/core/executions/list-executions.js";
import { classifyOutcome, decisionTimes, outcomeLabel } from "../../src/core/executions/outcome.js";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import { decidedEvents, events, templateDefinition, waitingEvents } from "./fixtures.js";

const workflow = parseWorkflow(templateDefinition("ops@example.com"));
const approved = JSON.stringify({ Status: "Approved! Task approved by ops@example.com" });
const rejected = JSON.stringify({ Status: "Rejected! Task rejected by ops@example.com" });

describe("classifyOutcome", () => {
  it.each([
    [{ status: "SUCCEEDED", output: approved }, "approved", "Approved"],
    [{ status: "SUCCEEDED", output: rejected }, "rejected", "Rejected"],
    [{ status: "SUCCEEDED", output: JSON.stringify({ Status: "Approved! Task approved by old@example.com" }) }, "approved", "Approved"],
    [{ status: "SUCCEEDED", output: '{"Status":"maybe"}' }, "succeeded", "Succeeded"],
    [{ status: "SUCCEEDED", output: "not json" }, "succeeded", "Succeeded"],
    [{ status: "FAILED", error: "Withdrawn", cause: "no longer needed" }, "failed", "Failed: Withdrawn"],
    [{ status: "FAILED" }, "failed", "Failed"],
    [{ status: "FAILED", error: "States.Timeout" }, "timed-out", "Timed out"],
    [{ status: "TIMED_OUT" }, "timed-out", "Timed out"],
    [{ status: "ABORTED" }, "aborted", "Aborted"],
    [{ status: "RUNNING" }, "waiting", "Waiting"],
    [{ status: "RUNNING", waiting: false }, "running", "Running"],
  ])("%o is %s", (end, kind, label) => {
    const outcome = classifyOutcome(end, workflow);
    expect(outcome.kind).toBe(kind);
    expect(outcomeLabel(outcome)).toBe(label);
  });

  it("keeps the decision and the failure's error and cause", () => {
    expect(classifyOutcome({ status: "SUCCEEDED", output: rejected }, workflow).decision).toBe(
      "Rejected! Task rejected by ops@example.com",
    );
    expect(classifyOutcome({ status: "FAILED", error: "E", cause: "C" })).toEqual({ kind: "failed", error: "E", cause: "C" });
  });
});

describe("decisionTimes and listedOf", () => {
  it("reads when the token was issued and when the decision closed the task", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState"));
    const times = decisionTimes(history, workflow);
    expect(times.waitingSince?.toISOString()).toBe("2026-11-25T10:00:02.000Z");
    expect(times.decidedAt?.toISOString()).toBe("2026-11-25T10:00:05.000Z");
    expect(times.waiting).toBe(false);
    const item = {
      name: "x",
      executionArn: "arn:x",
      stateMachineArn: "arn:sm",
      status: "SUCCEEDED" as const,
      startDate: new Date("2026-11-25T10:00:00Z"),
    };
    const listed = listedOf(item, history, workflow);
    expect(listed).toMatchObject({ outcome: "approved", decidedAt: "2026-11-25T10:00:05.000Z", input: '{"Comment":"hi"}' });
  });

  it("says a running execution at its callback is waiting, with no decision time", () => {
    const history = events(...waitingEvents());
    expect(decisionTimes(history, workflow)).toMatchObject({ waiting: true, decidedAt: undefined });
    const item = {
      name: "w",
      executionArn: "arn:w",
      stateMachineArn: "arn:sm",
      status: "RUNNING" as const,
      startDate: new Date("2026-11-25T10:00:00Z"),
    };
    expect(listedOf(item, history, workflow)).toMatchObject({ outcome: "waiting", decidedAt: null });
  });

  it("takes the end of an execution aborted while waiting as its decision time", () => {
    const history = events(...waitingEvents(), { type: "ExecutionAborted", executionAbortedEventDetails: {} });
    expect(decisionTimes(history, workflow).decidedAt?.toISOString()).toBe("2026-11-25T10:00:05.000Z");
    const item = {
      name: "a",
      executionArn: "arn:a",
      stateMachineArn: "arn:sm",
      status: "ABORTED" as const,
      startDate: new Date("2026-11-25T10:00:00Z"),
    };
    expect(listedOf(item, history, workflow).outcome).toBe("aborted");
  });
});
