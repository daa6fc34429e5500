// The emulator runs JSONata state machines (scripts/moto_jsonata.py, entry 8 of the launcher): these
// drive the emulator with the SDK, as a workflow's own code would on AWS, and read the history.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { endpoint } from "../support/cli.js";
import { historyOf, settled, statesEntered } from "./sfn-helpers.js";
import { askTask, type Json, sqsCallbacks } from "./sqs-callbacks.js";

const { sfn, machine, nextMessage, answer } = sqsCallbacks(endpoint());

const exited = (events: HistoryEvent[], state: string) =>
  events.find((e) => e.type?.endsWith("StateExited") && e.stateExitedEventDetails?.name === state)?.stateExitedEventDetails;

/** The seed's shape in JSONata: ask, then route on `approved` in the answer. */
const approval = (queueUrl: string): Json => ({
  QueryLanguage: "JSONata",
  StartAt: "Ask",
  States: {
    Ask: askTask(queueUrl, { who: "{% $states.input.who %}" }, { Next: "Route" }),
    Route: { Type: "Choice", Choices: [{ Condition: "{% $states.input.approved %}", Next: "Approved" }], Default: "Rejected" },
    Approved: { Type: "Succeed" },
    Rejected: { Type: "Fail", Error: "Rejected" },
  },
});

describe("JSONata in the emulator", () => {
  it.each([
    [true, "Approved", "SUCCEEDED"],
    [false, "Rejected", "FAILED"],
  ])("a callback over SQS answered approved=%s goes to %s", async (approved, state, status) => {
    const { queueUrl, start } = await machine(approval);
    const executionArn = await start({ who: 'Ann "the boss" O\'Neil' });
    const message = await nextMessage(queueUrl);
    expect(message.who).toBe('Ann "the boss" O\'Neil');
    // The TaskScheduled event carries the evaluated Arguments, token included, as AWS records them.
    const scheduled = (await historyOf(sfn, executionArn)).find((e) => e.type === "TaskScheduled");
    expect(JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? "{}").MessageBody.token).toBe(message.token);
    await answer(message.token, { approved });
    expect((await settled(sfn, executionArn)).status).toBe(status);
    expect(statesEntered(await historyOf(sfn, executionArn))).toEqual(["Ask", "Route", state]);
  });

  it("Assign keeps variables a later Choice reads, Output shapes the state's output", async () => {
    const { queueUrl, start } = await machine((url) => ({
      QueryLanguage: "JSONata",
      StartAt: "Ask",
      States: {
        Ask: askTask(
          url,
          {},
          {
            Assign: { verdict: "{% $states.result.decision %}", by: "{% $states.result.by %}" },
            Output: { decidedBy: "{% $by %}", items: "{% $count($states.input.items) %}" },
            Next: "Route",
          },
        ),
        Route: {
          Type: "Choice",
          Choices: [
            { Condition: '{% $verdict = "approve" %}', Next: "Approved" },
            { Condition: '{% $verdict = "escalate" %}', Next: "Escalated" },
          ],
          Default: "Rejected",
        },
        Approved: {
          Type: "Pass",
          Output: { summary: '{% $states.input.decidedBy & " approved " & $string($states.input.items) %}' },
          End: true,
        },
        Escalated: { Type: "Succeed" },
        Rejected: { Type: "Fail", Error: "Rejected" },
      },
    }));
    const routes = { approve: "Approved", escalate: "Escalated", reject: "Rejected" };
    for (const [decision, state] of Object.entries(routes)) {
      const executionArn = await start({ items: [1, 2, 3] });
      await answer((await nextMessage(queueUrl)).token, { decision, by: 'o"neil' });
      const execution = await settled(sfn, executionArn);
      const events = await historyOf(sfn, executionArn);
      expect(statesEntered(events)).toEqual(["Ask", "Route", state]);
      expect(JSON.parse(exited(events, "Ask")?.output ?? "")).toEqual({ decidedBy: 'o"neil', items: 3 });
      expect(exited(events, "Ask")?.assignedVariables).toEqual({ verdict: JSON.stringify(decision), by: JSON.stringify('o"neil') });
      if (state === "Approved") expect(JSON.parse(execution.output ?? "")).toEqual({ summary: 'o"neil approved 3' });
    }
  });

  it("Arguments templates are evaluated, functions and Step Functions' own functions included", async () => {
    const { queueUrl, start } = await machine((url) => ({
      QueryLanguage: "JSONata",
      StartAt: "Ask",
      States: {
        Ask: askTask(
          url,
          {
            title: "{% $uppercase($states.input.title) %}",
            total: "{% $sum($states.input.lines.amount) %}",
            batches: "{% $partition($states.input.lines.amount, 2) %}",
            parsed: "{% $parse($states.input.raw) %}",
            literal: "stays as written",
            execution: "{% $states.context.Execution.Name %}",
          },
          { End: true },
        ),
      },
    }));
    const executionArn = await start({ title: "new laptop", lines: [{ amount: 1200 }, { amount: 30 }, { amount: 5 }], raw: '{"a":[1]}' });
    const { token, ...body } = await nextMessage(queueUrl);
    expect(body).toEqual({
      title: "NEW LAPTOP",
      total: 1235,
      batches: [[1200, 30], [5]],
      parsed: { a: [1] },
      literal: "stays as written",
      execution: executionArn.split(":").at(-1),
    });
    await answer(token, { done: true });
    expect((await settled(sfn, executionArn)).status).toBe("SUCCEEDED");
  });

  it("a JSONata state in a JSONPath state machine, and JSONPath's own variables, keep their languages", async () => {
    const { queueUrl, start } = await machine((url) => ({
      StartAt: "Remember",
      States: {
        Remember: { Type: "Pass", Assign: { "requester.$": "$.who" }, Next: "Ask" },
        Ask: askTask(url, { requester: "{% $requester %}" }, { QueryLanguage: "JSONata", Output: "{% $states.result %}", Next: "Route" }),
        Route: {
          Type: "Choice",
          Choices: [
            {
              And: [
                { Variable: "$.approved", BooleanEquals: true },
                { Variable: "$requester", StringEquals: 'Ann "A"' },
              ],
              Next: "Approved",
            },
          ],
          Default: "Rejected",
        },
        Approved: { Type: "Pass", Parameters: { "by.$": "$requester" }, End: true },
        Rejected: { Type: "Fail", Error: "Rejected" },
      },
    }));
    const executionArn = await start({ who: 'Ann "A"' });
    const message = await nextMessage(queueUrl);
    expect(message.requester).toBe('Ann "A"');
    await answer(message.token, { approved: true });
    const execution = await settled(sfn, executionArn);
    expect(statesEntered(await historyOf(sfn, executionArn))).toEqual(["Remember", "Ask", "Route", "Approved"]);
    expect(JSON.parse(execution.output ?? "")).toEqual({ by: 'Ann "A"' });
  });

  it("callbacks inside a Parallel and a Map each get their own token", async () => {
    const branch = (url: string, who: string) => ({ StartAt: who, States: { [who]: askTask(url, { who }, { End: true }) } });
    const { queueUrl, start } = await machine((url) => ({
      QueryLanguage: "JSONata",
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [branch(url, "Manager"), branch(url, "Director")],
          Output: "{% $states.result %}",
          Next: "Each",
        },
        Each: {
          Type: "Map",
          Items: "{% $states.input %}",
          ItemSelector: { index: "{% $states.context.Map.Item.Index %}", answer: "{% $states.context.Map.Item.Value %}" },
          ItemProcessor: { StartAt: "Item", States: { Item: askTask(url, { index: "{% $states.input.index %}" }, { End: true }) } },
          Output: { all: "{% $states.result.approved %}" },
          Next: "Route",
        },
        Route: {
          Type: "Choice",
          Choices: [{ Condition: "{% $states.input.all[0] and $states.input.all[1] %}", Next: "Approved" }],
          Default: "Rejected",
        },
        Approved: { Type: "Succeed" },
        Rejected: { Type: "Fail", Error: "Rejected" },
      },
    }));
    const executionArn = await start({});
    const parallel = [await nextMessage(queueUrl), await nextMessage(queueUrl)];
    expect(parallel.map((m) => m.who).sort()).toEqual(["Director", "Manager"]);
    expect(new Set(parallel.map((m) => m.token)).size).toBe(2);
    for (const m of parallel) await answer(m.token, { approved: true });
    const items = [await nextMessage(queueUrl), await nextMessage(queueUrl)];
    expect(items.map((m) => m.index).sort()).toEqual([0, 1]);
    for (const m of items) await answer(m.token, { approved: true });
    expect((await settled(sfn, executionArn)).status).toBe("SUCCEEDED");
    const entered = statesEntered(await historyOf(sfn, executionArn));
    expect(entered.filter((s) => ["Manager", "Director", "Item"].includes(s)).sort()).toEqual(["Director", "Item", "Item", "Manager"]);
    expect(entered.slice(-2)).toEqual(["Route", "Approved"]);
  });

  it.each([
    ["a type error", "{% $states.input.name + 1 %}", 'left side of the "+" operator must evaluate to a number'],
    ["nothing", "{% $states.input.absent %}", "returned nothing (undefined)"],
    ["a function", "{% $uppercase %}", "returned an unsupported result type"],
    ["a syntax error", "{% $states.input.( %}", "failed"],
  ])("an expression that gives %s fails the state with States.QueryEvaluationError", async (_, expression, cause) => {
    const { start } = await machine(() => ({
      QueryLanguage: "JSONata",
      StartAt: "Shape",
      States: { Shape: { Type: "Pass", Output: { value: expression }, End: true } },
    }));
    const executionArn = await start({ name: "Ann" });
    const execution = await settled(sfn, executionArn);
    expect(execution.status).toBe("FAILED");
    expect(execution.error).toBe("States.QueryEvaluationError");
    expect(execution.cause).toContain(cause);
    const failed = (await historyOf(sfn, executionArn)).find((e) => e.type === "EvaluationFailed");
    expect(failed?.evaluationFailedEventDetails).toMatchObject({ state: "Shape", error: "States.QueryEvaluationError" });
  });
});
