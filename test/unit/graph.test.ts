import { Chalk } from "chalk";
import { describe, expect, it } from "vitest";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import {
  allStateNames,
  branchTaken,
  describeRule,
  markedStates,
  markOf,
  traceExecution,
  transitionsOf,
} from "../../src/core/workflow/graph.js";
import { drawWorkflow } from "../../src/output/graph.js";
import { decidedEvents, events, templateDefinition, waitingEvents } from "./fixtures.js";

const plain = new Chalk({ level: 0 });
const workflow = parseWorkflow(templateDefinition());
const draw = (history?: ReturnType<typeof events>, status?: string) =>
  drawWorkflow({ ...workflow, marks: history && markedStates(workflow.states, traceExecution(history, status)), status }, plain).join("\n");

describe("drawWorkflow on the template's definition", () => {
  it("draws the states from the definition, unmarked without an execution", () => {
    expect(draw()).toMatchInlineSnapshot(`
      "○ Lambda Callback  Task, waits for a task token
      │
      ○ ManualApprovalChoiceState  Choice
      ├── $.Status == "Approved! Task approved by ops@example.com"
      │   ○ ApprovedPassState  Pass, end
      └── $.Status == "Rejected! Task rejected by ops@example.com"
          ○ RejectedPassState  Pass, end"
    `);
  });

  it("marks the callback state as current while the execution waits", () => {
    expect(draw(events(...waitingEvents()), "RUNNING")).toMatchInlineSnapshot(`
      "◉ Lambda Callback  Task, waits for a task token  ← waiting here for a decision
      │
      ○ ManualApprovalChoiceState  Choice
      ├── $.Status == "Approved! Task approved by ops@example.com"
      │   ○ ApprovedPassState  Pass, end
      └── $.Status == "Rejected! Task rejected by ops@example.com"
          ○ RejectedPassState  Pass, end"
    `);
  });

  it("marks the visited states and the branch taken after a rejection", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Rejected! Task rejected by ops@example.com", "RejectedPassState"));
    expect(draw(history, "SUCCEEDED")).toMatchInlineSnapshot(`
      "✔ Lambda Callback  Task, waits for a task token
      │
      ✔ ManualApprovalChoiceState  Choice
      ├── $.Status == "Approved! Task approved by ops@example.com"
      │   ○ ApprovedPassState  Pass, end
      └─▶ $.Status == "Rejected! Task rejected by ops@example.com"  ← taken
          ✔ RejectedPassState  Pass, end"
    `);
  });

  it("marks where a failed execution stopped", () => {
    const history = events(...waitingEvents(), { type: "TaskFailed" }, { type: "ExecutionFailed" });
    expect(draw(history, "FAILED").split("\n")[0]).toBe("✖ Lambda Callback  Task, waits for a task token  ← failed here");
  });

  it("colours the marks only when colour is on", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState"));
    const coloured = drawWorkflow(
      { ...workflow, marks: markedStates(workflow.states, traceExecution(history, "SUCCEEDED")) },
      new Chalk({ level: 1 }),
    ).join("\n");
    expect(coloured).toContain("\u001b[32m✔\u001b[39m");
    expect(coloured).toContain("\u001b[32m├─▶\u001b[39m");
  });
});

describe("drawWorkflow on other definitions", () => {
  it("draws Default, Catch and loops without repeating a state", () => {
    const states = {
      Ask: {
        Type: "Task",
        Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        Next: "Route",
        Catch: [{ ErrorEquals: ["States.Timeout"], Next: "GiveUp" }],
      },
      Route: {
        Type: "Choice",
        Choices: [
          { Variable: "$.approved", BooleanEquals: true, Next: "Done" },
          { And: [{ Variable: "$.n", NumericLessThan: 3 }], Next: "Pause" },
        ],
        Default: "GiveUp",
      },
      Pause: { Type: "Wait", Seconds: 60, Next: "Ask" },
      Done: { Type: "Succeed" },
      GiveUp: { Type: "Fail", Error: "NoAnswer" },
    };
    expect(drawWorkflow({ startAt: "Ask", states }, plain).join("\n")).toMatchInlineSnapshot(`
      "○ Ask  Task, waits for a task token
      ├── next
      │   ○ Route  Choice
      │   ├── $.approved == true
      │   │   ○ Done  Succeed, end
      │   ├── And(…)
      │   │   ○ Pause  Wait
      │   │   │
      │   │   ↪ Ask (above)
      │   └── otherwise
      │       ○ GiveUp  Fail, end
      └── catch States.Timeout
          ↪ GiveUp (above)"
    `);
  });

  it("says when a state the definition points at is missing", () => {
    const lines = drawWorkflow({ startAt: "A", states: { A: { Type: "Pass", Next: "B" } } }, plain);
    expect(lines).toEqual(["○ A  Pass", "│", "○ B  missing from the definition"]);
  });
});

describe("the execution's trace", () => {
  it("records visits, moves, the branch taken and where it is", () => {
    const history = events(...waitingEvents(), ...decidedEvents("Approved! Task approved by ops@example.com", "ApprovedPassState"));
    // The service may return events in any order: the trace sorts them.
    const trace = traceExecution([...history].reverse(), "SUCCEEDED");
    expect(trace.visited).toEqual(["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"]);
    expect(trace.current).toBeUndefined();
    expect(branchTaken(trace, "ManualApprovalChoiceState")).toBe("ApprovedPassState");
    expect(markOf(trace, "RejectedPassState")).toBe("not-visited");

    const waiting = traceExecution(events(...waitingEvents()), "RUNNING");
    expect(waiting.current).toBe("Lambda Callback");
    expect(branchTaken(waiting, "ManualApprovalChoiceState")).toBeUndefined();
    expect(traceExecution(events(...waitingEvents()), "TIMED_OUT").stoppedIn).toBe("Lambda Callback");
  });

  it("words Choice rules", () => {
    expect(describeRule({ Variable: "$.Status", StringEquals: "Approved!" })).toBe('$.Status == "Approved!"');
    expect(describeRule({ Variable: "$.n", NumericGreaterThanEquals: 2 })).toBe("$.n >= 2");
    expect(describeRule({ Variable: "$.x", IsPresent: true })).toBe("$.x is present: true");
    expect(describeRule({ Not: { Variable: "$.x", IsNull: true } })).toBe("Not(…)");
    expect(describeRule({ Condition: "{% $states.input.ok %}" })).toBe("{% $states.input.ok %}");
    expect(transitionsOf({ Type: "Pass", Next: "B" })).toEqual([{ next: "B" }]);
  });
});

describe("allStateNames", () => {
  it("includes states nested in Parallel branches and Map processors", () => {
    const names = allStateNames({
      Fan: { Type: "Parallel", Branches: [{ StartAt: "A", States: { A: { Type: "Pass", End: true } } }], Next: "Each" },
      Each: { Type: "Map", ItemProcessor: { StartAt: "B", States: { B: { Type: "Pass", End: true } } }, Next: "Old" },
      Old: { Type: "Map", Iterator: { StartAt: "C", States: { C: { Type: "Pass", End: true } } }, End: true },
    });
    expect([...names].sort()).toEqual(["A", "B", "C", "Each", "Fan", "Old"]);
  });
});
