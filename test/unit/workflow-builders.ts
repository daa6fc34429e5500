// Small definitions for the route tests: one callback task, optional Pass states, then one Choice.
import type { DefinitionDocument } from "../../src/core/workflow/callbacks.js";
import { type Branch, type Routes, routesAfter } from "../../src/core/workflow/routes.js";

/** Fields of a state, loosely typed so tests can shape it at will. */
// biome-ignore lint/suspicious/noExplicitAny: tests write arbitrary, also invalid, definitions
export type StateFields = Record<string, any>;

interface Options {
  /** The definition's QueryLanguage (JSONPath when absent). */
  language?: "JSONPath" | "JSONata";
  /** Fields added to the callback task (ResultPath, Output, Assign, ...). */
  task?: StateFields;
  /** Pass states between the task and the Choice, in order. */
  between?: StateFields[];
  /** Fields added to the Choice state (Default, InputPath, QueryLanguage, ...). */
  choice?: StateFields;
}

/**
 * A workflow "Ask" (an SQS callback) → the Pass states given → "Decide" (a Choice with `rules`).
 * Each rule goes to the state its `Next` names, created as a Pass state that ends.
 */
export function workflow(rules: StateFields[], options: Options = {}): DefinitionDocument {
  const states: Record<string, StateFields> = {};
  const passes = (options.between ?? []).map((_, i) => `Step${i + 1}`);
  states.Ask = {
    Type: "Task",
    Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    Parameters: { QueueUrl: "http://sqs.example/q", MessageBody: { "token.$": "$$.Task.Token" } },
    Next: passes[0] ?? "Decide",
    ...options.task,
  };
  if (options.language === "JSONata" || options.task?.QueryLanguage === "JSONata") {
    delete states.Ask.Parameters;
    states.Ask.Arguments = { QueueUrl: "http://sqs.example/q", MessageBody: { token: "{% $states.context.Task.Token %}" } };
  }
  (options.between ?? []).forEach((fields, i) => {
    states[passes[i] as string] = { Type: "Pass", Next: passes[i + 1] ?? "Decide", ...fields };
  });
  states.Decide = { Type: "Choice", Choices: rules, ...options.choice };
  for (const next of [...rules.map((r) => r?.Next), options.choice?.Default]) {
    if (typeof next === "string" && !Object.hasOwn(states, next))
      Object.defineProperty(states, next, { value: { Type: "Pass", End: true }, enumerable: true, writable: true, configurable: true });
  }
  return {
    StartAt: "Ask",
    ...(options.language ? { QueryLanguage: options.language } : {}),
    States: states as DefinitionDocument["States"],
  };
}

/** The branches after "Ask" in a {@link workflow}; fails the test when there is no Choice. */
export async function branches(rules: StateFields[], options: Options = {}): Promise<Branch[]> {
  const routes: Routes = await routesAfter(workflow(rules, options), ["Ask"]);
  if (routes.kind !== "choice") throw new Error(`no Choice: ${routes.reason}`);
  return routes.branches;
}

/** Each branch as `next → output` or `next ✗ reason`, for compact expectations. */
export function summary(list: Branch[]): string[] {
  return list.map((b) => (b.solvable ? `${b.next} → ${JSON.stringify(b.output)}` : `${b.next} ✗ ${b.reason}`));
}
