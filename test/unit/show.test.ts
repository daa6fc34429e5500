import { describe, expect, it } from "vitest";
import { currentState, tokensIn, visitedStates } from "../../src/core/executions/execution-report.js";
import { mapLimit } from "../../src/lib/async.js";
import { decidedEvents, events, scheduledParameters, TOKEN, waitingEvents } from "./fixtures.js";

const approved = "Approved! Task approved by ops@example.com";

describe("tokensIn", () => {
  it("finds the token of every attempt, to redact it from what show prints", () => {
    const list = events(
      ...waitingEvents("first"),
      { type: "TaskFailed", taskFailedEventDetails: { resource: "r", resourceType: "lambda", error: "E" } },
      {
        type: "TaskScheduled",
        taskScheduledEventDetails: { resource: "r", resourceType: "lambda", region: "us-east-1", parameters: scheduledParameters(TOKEN) },
      },
    );
    expect(tokensIn(list).sort()).toEqual([TOKEN, "first"].sort());
  });

  it("finds a token passed under a TaskToken or taskToken field", () => {
    const list = events({
      type: "TaskScheduled",
      taskScheduledEventDetails: {
        resource: "r",
        resourceType: "lambda",
        region: "us-east-1",
        parameters: '{"Payload":{"TaskToken":"a","x":{"taskToken":"b"}}}',
      },
    });
    expect(tokensIn(list).sort()).toEqual(["a", "b"]);
  });
});

describe("visitedStates and currentState", () => {
  it("follow a waiting execution", () => {
    const list = events(...waitingEvents());
    expect(visitedStates(list)).toEqual(["Lambda Callback"]);
    expect(currentState(list)).toBe("Lambda Callback");
    expect(currentState([...list].reverse())).toBe("Lambda Callback");
  });

  it("follow a decided execution to its end", () => {
    const list = events(...waitingEvents(), ...decidedEvents(approved, "ApprovedPassState"));
    expect(visitedStates(list)).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"]);
    expect(currentState(list)).toBeUndefined();
  });
});

describe("mapLimit", () => {
  it("keeps the input order with at most `limit` calls in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n, index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return `${index}:${n}`;
    });
    expect(results).toEqual(["0:5", "1:1", "2:4", "3:2", "4:3", "5:0", "6:6"]);
    expect(peak).toBe(3);
  });

  it("copes with no items", async () => {
    expect(await mapLimit([], 10, async () => 1)).toEqual([]);
  });
});
