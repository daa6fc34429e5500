import { type Flow, hasPath, materialize, placeOf, readReference } from "./answer-flow.js";
import { type Formula, MISSING, type Value } from "./conditions.js";
import type { AslState } from "./definition.js";
import { evaluateCondition, jsonataFormula, jsonataSemantics, parseJsonata } from "./jsonata-rules.js";
import { evaluateJsonPathRule, type JsonPathRule, jsonPathFormula, jsonPathSemantics } from "./jsonpath-rules.js";
import { choiceInput, type Stage } from "./state-flow.js";

/** A test of equality a rule makes on the answer: what the approve/reject mapping reads. */
export interface EqualityTest {
  path: readonly string[];
  value: string | number | boolean | null;
}

/** The equality tests a rule makes when it is one test, or an And of tests. */
export function equalityTests(formula: Formula): EqualityTest[] {
  if ("and" in formula) return formula.and.flatMap(equalityTests);
  if ("atom" in formula && formula.atom.kind === "answer" && formula.test.op === "equals")
    return [{ path: formula.atom.path, value: formula.test.value }];
  return [];
}

/** The value at a path of the answer, as a Choice reads it; undefined when it is not the answer's to decide. */
function readPlace(variable: string, data: Flow, stage: Stage, output: Record<string, unknown>): Value | undefined {
  const place = placeOf(readReference(variable, data, stage.variables));
  if (place.kind === "outside") return undefined;
  if (place.kind === "const") return place.value === undefined ? MISSING : place.value;
  if (!hasPath(output, place.path)) return MISSING;
  return place.path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], output);
}

/** A formula whose reasons to refuse name the rule they come from (and its condition, for JSONata). */
function labelled(formula: Formula, choice: string, index: number, condition?: unknown): Formula {
  const where = `in "${choice}", ${typeof condition === "string" ? `rule ${index + 1} (${condition})` : `rule ${index + 1}`}`;
  const label = (f: Formula): Formula => {
    if ("refuse" in f) return { refuse: `${where} ${f.refuse}` };
    if ("not" in f) return { not: label(f.not) };
    if ("and" in f) return { and: f.and.map(label) };
    if ("or" in f) return { or: f.or.map(label) };
    return f;
  };
  return label(formula);
}

/** The Choice's rules as formulas, and an independent check that an answer takes rule `index` (-1: Default). */
export function choiceLogic(name: string, choice: AslState, language: "JSONPath" | "JSONata", stage: Stage) {
  // A rule that is not an object keeps its place in the order, and is refused.
  const rules = (Array.isArray(choice.Choices) ? choice.Choices : []) as (JsonPathRule | null)[];
  const data = choiceInput(choice, language, stage);
  if (language === "JSONPath") {
    const formulas = rules.map((rule, i) => labelled(jsonPathFormula(rule, data, stage.variables), name, i));
    const takes = (index: number) => (output: Record<string, unknown>) =>
      rules.every((rule, i) => {
        if (index >= 0 && i > index) return true;
        return evaluateJsonPathRule(rule, (v) => readPlace(v, data, stage, output)) === (i === index);
      });
    return { rules, formulas, takes, semantics: jsonPathSemantics };
  }
  const formulas = rules.map((rule, i): Formula => {
    const parsed =
      typeof rule?.Condition === "string" ? parseJsonata(rule?.Condition as string) : { reason: "has a rule without Condition" };
    return labelled(
      "reason" in parsed ? { refuse: parsed.reason } : jsonataFormula(parsed.ast, { input: data, variables: stage.variables }),
      name,
      i,
      rule?.Condition,
    );
  });
  const takes = (index: number) => async (output: Record<string, unknown>) => {
    const input = materialize(data, output);
    const variables = Object.fromEntries([...stage.variables].map(([name, flow]) => [name, materialize(flow, output)]));
    for (const [i, rule] of rules.entries()) {
      if (index >= 0 && i > index) break;
      if ((await evaluateCondition(String(rule?.Condition), input, variables)) !== (i === index)) return false;
    }
    return true;
  };
  return { rules, formulas, takes, semantics: jsonataSemantics };
}
