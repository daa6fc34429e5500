import { type Flow, type Place, placeOf, readReference } from "./answer-flow.js";
import { type Formula, MISSING, type Semantics, type Test, type Value } from "./conditions.js";
import { globMatches, patternPieces } from "./string-matches.js";

/** A JSONPath Choice rule as written in the definition. */
export type JsonPathRule = Record<string, unknown>;

const COMPARISONS: Record<string, { kind: "string" | "number" | "boolean"; op: Test["op"] }> = {
  StringEquals: { kind: "string", op: "equals" },
  StringLessThan: { kind: "string", op: "less" },
  StringLessThanEquals: { kind: "string", op: "lessEq" },
  StringGreaterThan: { kind: "string", op: "greater" },
  StringGreaterThanEquals: { kind: "string", op: "greaterEq" },
  StringMatches: { kind: "string", op: "matches" },
  NumericEquals: { kind: "number", op: "equals" },
  NumericLessThan: { kind: "number", op: "less" },
  NumericLessThanEquals: { kind: "number", op: "lessEq" },
  NumericGreaterThan: { kind: "number", op: "greater" },
  NumericGreaterThanEquals: { kind: "number", op: "greaterEq" },
  BooleanEquals: { kind: "boolean", op: "equals" },
};
const TYPE_TESTS: Record<string, Test> = {
  IsPresent: { op: "present" },
  IsNull: { op: "null" },
  IsString: { op: "type", type: "string" },
  IsNumeric: { op: "type", type: "number" },
  IsBoolean: { op: "type", type: "boolean" },
};
const MAX_DEPTH = 64;

/**
 * JSONPath semantics: a comparison of an absent field fails the execution, and one of a value of
 * another type is not relied on (undefined); only IsPresent may read an absent field.
 */
export const jsonPathSemantics: Semantics = (test, value) => {
  if (test.op === "present") return value !== MISSING;
  if (value === MISSING) return undefined;
  if (test.op === "null") return value === null;
  if (test.op === "type") return test.type === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === test.type;
  if (test.op === "true") return undefined;
  if (test.op === "matches") return typeof value === "string" ? globMatches(test.pattern, value) : undefined;
  if (typeof value !== typeof test.value) return undefined;
  const [a, b] = [value as string | number | boolean, test.value as string | number | boolean];
  if (test.op === "equals") return a === b;
  if (typeof a === "boolean") return undefined;
  return test.op === "less" ? a < b : test.op === "lessEq" ? a <= b : test.op === "greater" ? a > b : a >= b;
};

/** Reject numbers a double cannot hold exactly: the engine might compare them otherwise than this code. */
function exactNumber(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
}

/** An atom on a place: decided at once for a constant of the definition, refused outside the answer. */
export function atomOn(place: Place, test: Test, semantics: Semantics): Formula {
  if (place.kind === "answer") return { atom: place, test };
  if (place.kind === "outside") return { refuse: place.reason };
  const outcome = semantics(test, place.value === undefined ? MISSING : place.value);
  return outcome === undefined ? { refuse: "compares a value the definition sets in a way that fails" } : { constant: outcome };
}

/** Translate a JSONPath Choice rule into a formula over the answer. */
export function jsonPathFormula(rule: JsonPathRule | null, data: Flow, variables: ReadonlyMap<string, Flow>, depth = 0): Formula {
  if (depth > MAX_DEPTH) return { refuse: `rules nest deeper than ${MAX_DEPTH} levels` };
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) return { refuse: "has a rule that is not an object" };
  if (Array.isArray(rule.And)) return { and: rule.And.map((r) => jsonPathFormula(r as JsonPathRule, data, variables, depth + 1)) };
  if (Array.isArray(rule.Or)) return { or: rule.Or.map((r) => jsonPathFormula(r as JsonPathRule, data, variables, depth + 1)) };
  if (rule.Not && typeof rule.Not === "object") return { not: jsonPathFormula(rule.Not as JsonPathRule, data, variables, depth + 1) };
  if (typeof rule.Variable !== "string") return { refuse: "has a rule without Variable" };
  const place = placeOf(readReference(rule.Variable, data, variables));
  for (const [name, test] of Object.entries(TYPE_TESTS)) {
    if (name in rule) {
      const formula = atomOn(place, test, jsonPathSemantics);
      return rule[name] === true ? formula : rule[name] === false ? { not: formula } : { refuse: `${name} is not true or false` };
    }
  }
  for (const [name, comparison] of Object.entries(COMPARISONS)) {
    let operand: unknown = rule[name];
    if (!(name in rule)) {
      if (!(`${name}Path` in rule)) continue;
      const other = placeOf(readReference(String(rule[`${name}Path`]), data, variables));
      if (other.kind !== "const") {
        return { refuse: other.kind === "outside" ? `${name}Path ${other.reason}` : `${name}Path compares two fields of the answer` };
      }
      operand = other.value;
    }
    if (typeof operand !== comparison.kind) return { refuse: `${name} compares with ${JSON.stringify(operand) ?? "nothing"}` };
    if (comparison.kind === "number" && !exactNumber(operand))
      return { refuse: `${name} ${operand} is beyond what a double holds exactly` };
    const test = (comparison.op === "matches" ? { op: "matches", pattern: operand } : { op: comparison.op, value: operand }) as Test;
    if (test.op === "matches" && !patternPieces(test.pattern))
      return { refuse: `StringMatches ${JSON.stringify(operand)} has an escape other than \\* or \\\\` };
    return atomOn(place, test, jsonPathSemantics);
  }
  const other = Object.keys(rule).find((k) => k !== "Variable" && k !== "Next");
  return { refuse: `uses ${other ?? "no comparison"}, which is not supported` };
}

/** A value read from the Choice's data, or undefined when it is not known for certain. */
export type Reader = (variable: string) => Value | undefined;

/**
 * Evaluate a JSONPath rule directly as Step Functions does, independently of the formulas:
 * true, false, or undefined (an error, or an outcome not known for certain). Used to check answers.
 */
export function evaluateJsonPathRule(rule: JsonPathRule | null, read: Reader, depth = 0): boolean | undefined {
  if (depth > MAX_DEPTH || rule === null || typeof rule !== "object") return undefined;
  const all = (rules: unknown[], and: boolean) => {
    const outcomes = rules.map((r) => evaluateJsonPathRule(r as JsonPathRule, read, depth + 1));
    if (outcomes.some((o) => o === undefined)) return undefined;
    return and ? outcomes.every(Boolean) : outcomes.some(Boolean);
  };
  if (Array.isArray(rule.And)) return all(rule.And, true);
  if (Array.isArray(rule.Or)) return all(rule.Or, false);
  if (rule.Not && typeof rule.Not === "object") {
    const inner = evaluateJsonPathRule(rule.Not as JsonPathRule, read, depth + 1);
    return inner === undefined ? undefined : !inner;
  }
  const value = typeof rule.Variable === "string" ? read(rule.Variable) : undefined;
  if (value === undefined) return undefined;
  if ("IsPresent" in rule) return (value !== MISSING) === rule.IsPresent;
  if (value === MISSING) return undefined;
  if ("IsNull" in rule) return (value === null) === rule.IsNull;
  if ("IsString" in rule) return (typeof value === "string") === rule.IsString;
  if ("IsNumeric" in rule) return (typeof value === "number") === rule.IsNumeric;
  if ("IsBoolean" in rule) return (typeof value === "boolean") === rule.IsBoolean;
  for (const name of Object.keys(COMPARISONS)) {
    const operand = name in rule ? rule[name] : `${name}Path` in rule ? read(String(rule[`${name}Path`])) : undefined;
    if (operand === undefined || operand === MISSING) continue;
    const kind = name.startsWith("String") ? "string" : name.startsWith("Numeric") ? "number" : "boolean";
    if (typeof value !== kind || typeof operand !== kind) return undefined;
    if (name === "StringMatches") return globMatches(operand as string, value as string);
    const [a, b] = [value as string | number, operand as string | number];
    if (name.endsWith("Equals") && !name.endsWith("ThanEquals")) return a === b;
    if (name.endsWith("LessThan")) return a < b;
    if (name.endsWith("LessThanEquals")) return a <= b;
    if (name.endsWith("GreaterThan")) return a > b;
    return a >= b;
  }
  return undefined;
}
