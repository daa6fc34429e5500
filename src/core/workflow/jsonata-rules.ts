import jsonataModule from "jsonata";
import { type Flow, placeOf, select, variableFlow } from "./answer-flow.js";
import { type Formula, MISSING, type Semantics, type Test } from "./conditions.js";
import { atomOn } from "./jsonpath-rules.js";

// The package is CommonJS: loaded by Node or through the bundle, the function is the module itself or its default.
const jsonata = ((jsonataModule as unknown as { default?: typeof jsonataModule }).default ?? jsonataModule) as typeof jsonataModule;

/** A node of the `jsonata` package's syntax tree, as far as this file reads it. */
export interface Node {
  type: string;
  value?: unknown;
  steps?: Node[];
  lhs?: Node | [Node, Node][];
  rhs?: Node;
  expressions?: Node[];
  arguments?: Node[];
  procedure?: Node;
  [key: string]: unknown;
}

/** The flows a JSONata expression of a state can read: `$states.input`, `$states.result`, the variables. */
export interface JsonataScope {
  input: Flow;
  result?: Flow;
  variables: ReadonlyMap<string, Flow>;
}

/** A field value that is a JSONata expression: `{% ... %}`. */
export const EXPRESSION = /^\{%([\s\S]*)%\}$/;
const FLIP: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" };
const OPS: Record<string, Test["op"]> = { "<": "less", "<=": "lessEq", ">": "greater", ">=": "greaterEq" };
const MAX_DEPTH = 64;

/** The syntax tree of a `{% ... %}` string, or why there is none. */
export function parseJsonata(text: string): { ast: Node; expression: string } | { reason: string } {
  const match = EXPRESSION.exec(text.trim());
  if (!match) return { reason: "is not a {% ... %} expression" };
  try {
    return { ast: jsonata(match[1] as string).ast() as Node, expression: match[1] as string };
  } catch (error) {
    return { reason: `cannot be parsed: ${(error as Error).message}` };
  }
}

/** Only plain steps: a name, with no filter, index, sort or grouping attached. */
function plain(node: Node): boolean {
  return !["predicate", "stages", "group", "focus", "index", "tuple", "keepArray", "ancestor"].some((k) => k in node);
}

/** The flow a path or variable reads (`$states.input.a`, `$decision.b`), or undefined for anything else. */
export function locationFlow(node: Node, scope: JsonataScope): Flow | undefined {
  const steps = node.type === "path" ? (node.steps ?? []) : node.type === "variable" ? [node] : [];
  const [first, ...rest] = steps;
  if (first?.type !== "variable" || typeof first.value !== "string" || !steps.every(plain)) return undefined;
  if (!rest.every((s) => s.type === "name" && typeof s.value === "string")) return undefined;
  const names = rest.map((s) => s.value as string);
  if (first.value !== "states") return select(variableFlow(scope.variables, first.value), names);
  const [which, ...path] = names;
  if (which === "input") return select(scope.input, path);
  if (which === "result" && scope.result) return select(scope.result, path);
  if (which === "context") return { kind: "ref", source: "context", path };
  return undefined;
}

/** A literal: string, number (also negated), true, false or null. */
export function literal(node: Node | undefined): { value: string | number | boolean | null } | undefined {
  if (!node) return undefined;
  if ((node.type === "string" || node.type === "number" || node.type === "value") && plain(node)) {
    const value = node.value;
    if (typeof value === "number" && !(Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))))
      return undefined;
    return value === null || ["string", "number", "boolean"].includes(typeof value)
      ? { value: value as string | number | boolean | null }
      : undefined;
  }
  if (node.type === "unary" && node.value === "-" && (node.expression as Node | undefined)?.type === "number") {
    const inner = literal(node.expression as Node);
    return inner && typeof inner.value === "number" ? { value: -inner.value } : undefined;
  }
  return undefined;
}

/**
 * JSONata semantics as Step Functions runs them: `=` of values of different types is false; an
 * ordering of mixed types is an error; an absent value is never relied on (undefined).
 */
export const jsonataSemantics: Semantics = (test, value) => {
  if (value === MISSING || (value !== null && typeof value === "object")) return undefined;
  if (test.op === "true") return value === true ? true : value === false ? false : undefined;
  if (test.op === "equals") return value === test.value;
  if (test.op === "less" || test.op === "lessEq" || test.op === "greater" || test.op === "greaterEq") {
    if (typeof value !== typeof test.value || (typeof value !== "number" && typeof value !== "string")) return undefined;
    const [a, b] = [value as string | number, test.value];
    return test.op === "less" ? a < b : test.op === "lessEq" ? a <= b : test.op === "greater" ? a > b : a >= b;
  }
  return undefined;
};

/** Translate a JSONata condition's syntax tree into a formula over the answer. */
export function jsonataFormula(node: Node, scope: JsonataScope, depth = 0): Formula {
  if (depth > MAX_DEPTH) return { refuse: `the condition nests deeper than ${MAX_DEPTH} levels` };
  const recurse = (n: Node) => jsonataFormula(n, scope, depth + 1);
  if (node.type === "block" && node.expressions?.length === 1) return recurse(node.expressions[0] as Node);
  if (node.type === "value" && typeof node.value === "boolean") return { constant: node.value };
  if (node.type === "binary" && (node.value === "and" || node.value === "or")) {
    // A chain `a or b or c ...` parses as a deep tree: take it as one list, so long chains stay within the depth limit.
    const operands: Node[] = [];
    for (const stack = [node]; stack.length > 0; ) {
      const n = stack.pop() as Node;
      if (n.type === "binary" && n.value === node.value) stack.push(n.rhs as Node, n.lhs as Node);
      else operands.push(n);
    }
    const parts = operands.map(recurse);
    return node.value === "and" ? { and: parts } : { or: parts };
  }
  if (node.type === "function" && node.procedure?.type === "variable" && node.procedure.value === "not" && node.arguments?.length === 1) {
    return { not: recurse(node.arguments[0] as Node) };
  }
  if (node.type === "binary" && typeof node.value === "string" && node.value in FLIP) {
    const [lhs, rhs] = [node.lhs as Node, node.rhs as Node];
    const flipped = literal(lhs) !== undefined;
    const [where, what] = flipped ? [rhs, literal(lhs)] : [lhs, literal(rhs)];
    const op = flipped ? (FLIP[node.value] as string) : node.value;
    const flow = locationFlow(where, scope);
    if (!flow || !what) {
      const other = flow ? (flipped ? lhs : rhs) : where;
      if (flow && locationFlow(other, scope)) return { refuse: `compares two fields (${op}), which is not solved for certain` };
      return { refuse: `compares ${unsupported(other)} (${op}), which is not solved for certain` };
    }
    const place = placeOf(flow);
    if (op === "=" || op === "!=") {
      const equals = atomOn(place, { op: "equals", value: what.value }, jsonataSemantics);
      return op === "=" ? equals : { not: equals };
    }
    if (typeof what.value !== "number" && typeof what.value !== "string") return { refuse: `orders against ${String(what.value)}` };
    return atomOn(place, { op: OPS[op] as "less", value: what.value }, jsonataSemantics);
  }
  if (node.type === "binary" && node.value === "in") {
    const flow = locationFlow(node.lhs as Node, scope);
    const list = node.rhs?.type === "unary" && node.rhs.value === "[" ? (node.rhs.expressions ?? []) : [node.rhs as Node];
    const values = list.map((n) => literal(n));
    if (!flow || values.some((v) => v === undefined))
      return { refuse: "tests `in` with something other than a field and a list of literals" };
    const place = placeOf(flow);
    return { or: values.map((v) => atomOn(place, { op: "equals", value: (v as { value: string }).value }, jsonataSemantics)) };
  }
  const flow = locationFlow(node, scope);
  if (flow) return atomOn(placeOf(flow), { op: "true" }, jsonataSemantics);
  return { refuse: `uses ${unsupported(node)}, which is not solved for certain` };
}

/** What a part of a condition that is not solved is, in words. */
function unsupported(node: Node): string {
  if (node.type === "function") return `a function call ($${String(node.procedure?.value ?? "?")})`;
  if (node.type === "binary" && typeof node.value === "string" && "+-*/%&".includes(node.value)) return `arithmetic (${node.value})`;
  if (node.type === "path" || node.type === "variable") return "a field with a filter, an index or a step it does not follow";
  return `${node.type} ${String(node.value ?? "")}`.trim();
}

/** Evaluate a JSONata condition with the `jsonata` package itself: the independent check of an answer. */
export async function evaluateCondition(condition: string, input: unknown, variables: Record<string, unknown>): Promise<unknown> {
  const parsed = parseJsonata(condition);
  if ("reason" in parsed) return undefined;
  try {
    return await jsonata(parsed.expression).evaluate({}, { ...variables, states: { input, context: {} } });
  } catch {
    return undefined;
  }
}
