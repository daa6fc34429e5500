/**
 * What a state's data is made of, followed symbolically from a callback task's answer: each part is
 * either a piece of the answer (the SendTaskSuccess output), a constant of the definition, or
 * something the operator does not control (the execution's input, its context, an expression).
 */
export type Flow =
  | { kind: "ref"; source: "answer" | "input" | "context"; path: readonly string[] }
  | { kind: "object"; fields: ReadonlyMap<string, Flow> }
  | { kind: "const"; value: unknown }
  | { kind: "overlay"; base: Flow; key: string; value: Flow }
  | { kind: "unknown"; reason: string };

/** Where a value a Choice reads comes from: a path in the answer, a known constant (undefined: absent), or neither. */
export type Place = { kind: "answer"; path: readonly string[] } | { kind: "const"; value: unknown } | { kind: "outside"; reason: string };

/** The reason given for anything read from the execution's input. */
export const FROM_INPUT = "depends on the execution's input, not on your answer";

/** The answer itself, and the task's input (never controlled by the answer). */
export const ANSWER: Flow = { kind: "ref", source: "answer", path: [] };
export const TASK_INPUT: Flow = { kind: "ref", source: "input", path: [] };

function ownValue(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The part of `flow` at `path` (object keys only). */
export function select(flow: Flow, path: readonly string[]): Flow {
  if (path.length === 0) return flow;
  const [key, ...rest] = path as [string, ...string[]];
  switch (flow.kind) {
    case "ref":
      return { ...flow, path: [...flow.path, ...path] };
    case "object": {
      const field = flow.fields.get(key);
      return field === undefined ? { kind: "const", value: undefined } : select(field, rest);
    }
    case "const":
      return select({ kind: "const", value: ownValue(flow.value, key) }, rest);
    case "overlay":
      return key === flow.key ? select(flow.value, rest) : select(flow.base, path);
    case "unknown":
      return flow;
  }
}

/** Where a single value (not a whole object built from several parts) comes from. */
export function placeOf(flow: Flow): Place {
  switch (flow.kind) {
    case "ref":
      if (flow.source === "answer") return { kind: "answer", path: flow.path };
      return { kind: "outside", reason: flow.source === "input" ? FROM_INPUT : "depends on the execution's context, not on your answer" };
    case "const":
      return flow;
    case "unknown":
      return { kind: "outside", reason: flow.reason };
    default:
      return { kind: "outside", reason: "reads a whole object assembled from several parts" };
  }
}

/** `flow` with `result` placed at `path` (a ResultPath): the rest of `flow` stays as it was. */
export function placeAt(flow: Flow, path: readonly string[], result: Flow): Flow {
  if (path.length === 0) return result;
  const [key, ...rest] = path as [string, ...string[]];
  return { kind: "overlay", base: flow, key, value: placeAt(select(flow, [key]), rest, result) };
}

/** A reference path as Step Functions reads it: `$`, `$.a.b`, `$['a b']`; no indexes, wildcards or filters. */
export interface ReferencePath {
  /** `$` (the state's data), `$$` (the context) or `$name` (a workflow variable). */
  root: { kind: "data" } | { kind: "context" } | { kind: "variable"; name: string };
  path: string[];
}

const SEGMENT = /^(?:\.([^.[\]'"*?@\\\s]+)|\['([^'\\]*)'\])/;

/** Parse a reference path; undefined for anything beyond plain object keys. */
export function parseReferencePath(text: string): ReferencePath | undefined {
  const head = /^\$(\$|[A-Za-z_][A-Za-z0-9_]*)?/.exec(text);
  if (!head) return undefined;
  const root: ReferencePath["root"] =
    head[1] === undefined ? { kind: "data" } : head[1] === "$" ? { kind: "context" } : { kind: "variable", name: head[1] };
  const path: string[] = [];
  let rest = text.slice(head[0].length);
  while (rest.length > 0) {
    const segment = SEGMENT.exec(rest);
    if (!segment) return undefined;
    path.push(segment[1] ?? segment[2] ?? "");
    rest = rest.slice(segment[0].length);
  }
  return { root, path };
}

/** The flow a reference path reads, given the state's data and the workflow variables known. */
export function readReference(text: string, data: Flow, variables: ReadonlyMap<string, Flow>): Flow {
  const ref = parseReferencePath(text);
  if (!ref) return { kind: "unknown", reason: `uses the path ${text}, which is more than plain field names` };
  if (ref.root.kind === "context") return { kind: "ref", source: "context", path: ref.path };
  if (ref.root.kind === "variable") return select(variableFlow(variables, ref.root.name), ref.path);
  return select(data, ref.path);
}

/** A workflow variable: known when a state from the task on assigned it, else set before (or never). */
export function variableFlow(variables: ReadonlyMap<string, Flow>, name: string): Flow {
  return variables.get(name) ?? { kind: "unknown", reason: `reads the variable $${name}, which your answer does not set` };
}

/** A JSONPath payload template (Parameters, ResultSelector): `"key.$"` fields read paths, others are constants. */
export function jsonPathTemplate(template: unknown, data: Flow, variables: ReadonlyMap<string, Flow>): Flow {
  if (template === null || typeof template !== "object") return { kind: "const", value: template };
  if (Array.isArray(template)) {
    const parts = template.map((item) => jsonPathTemplate(item, data, variables));
    return parts.every((p) => p.kind === "const") ? { kind: "const", value: template } : { kind: "unknown", reason: "builds an array" };
  }
  const fields = new Map<string, Flow>();
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) {
      const flow =
        typeof value === "string" && value.startsWith("$")
          ? readReference(value, data, variables)
          : { kind: "unknown" as const, reason: `computes ${key.slice(0, -2)} with an intrinsic function` };
      fields.set(key.slice(0, -2), flow);
    } else {
      fields.set(key, jsonPathTemplate(value, data, variables));
    }
  }
  return { kind: "object", fields };
}

/** A concrete value from a flow, the answer given; parts outside the answer are left out. */
export function materialize(flow: Flow, answer: unknown): unknown {
  switch (flow.kind) {
    case "ref":
      return flow.source === "answer" ? flow.path.reduce<unknown>((v, k) => ownValue(v, k), answer) : undefined;
    case "const":
      return flow.value;
    case "unknown":
      return undefined;
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [key, field] of flow.fields) defineField(out, key, materialize(field, answer));
      return out;
    }
    case "overlay": {
      const base = materialize(flow.base, answer);
      const out: Record<string, unknown> = {};
      if (base !== null && typeof base === "object" && !Array.isArray(base))
        for (const [k, v] of Object.entries(base)) defineField(out, k, v);
      defineField(out, flow.key, materialize(flow.value, answer));
      return out;
    }
  }
}

/** Set an own field, even one named `__proto__`; undefined leaves it out, as JSON would. */
export function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return;
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The fields of the answer a flow reads by name (a template's `"x.$": "$.a"`, an `{% $states.result.a %}`):
 * Step Functions fails the execution when such a field is absent, so an answer must carry each.
 */
export function answerReads(flow: Flow, found: (readonly string[])[] = []): (readonly string[])[] {
  if (flow.kind === "ref" && flow.source === "answer" && flow.path.length > 0) found.push(flow.path);
  else if (flow.kind === "object") for (const field of flow.fields.values()) answerReads(field, found);
  else if (flow.kind === "overlay") answerReads(flow.value, answerReads(flow.base, found));
  return found;
}

/** Whether the answer has a value (null included) at `path`. */
export function hasPath(answer: unknown, path: readonly string[]): boolean {
  let value = answer;
  for (const key of path) {
    if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.hasOwn(value, key)) return false;
    value = (value as Record<string, unknown>)[key];
  }
  return true;
}
