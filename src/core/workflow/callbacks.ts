import type { AslState } from "./definition.js";

/** The two query languages of Amazon States Language. */
export type QueryLanguage = "JSONPath" | "JSONata";

/**
 * Where a state sits: state names from the top, with the index (from 0) of a Parallel's branch
 * after the Parallel's name; a Map's name is followed directly by the name of a state in its processor.
 * `["Approvals", 1, "Director"]` is the state "Director" in the second branch of the Parallel "Approvals".
 */
export type StatePath = readonly (string | number)[];

/** A Task state that waits for a task token: a person (or a system) answers with SendTaskSuccess. */
export interface CallbackTask {
  /** The state's name (the last element of `path`). */
  name: string;
  path: StatePath;
  /** The query language in force for the state: its own `QueryLanguage`, else the definition's, else JSONPath. */
  queryLanguage: QueryLanguage;
  /** The task's `Resource`, ending with `.waitForTaskToken`. */
  resource: string;
  /** The task's TimeoutSeconds when it is a number (not set, a `...Path` or a JSONata expression: undefined). */
  timeoutSeconds: number | undefined;
  /** The task's HeartbeatSeconds when it is a number, as `timeoutSeconds`. */
  heartbeatSeconds: number | undefined;
}

/** A definition document, as parsed from JSON. */
export interface DefinitionDocument {
  StartAt?: string;
  QueryLanguage?: string;
  States?: Record<string, AslState>;
  [key: string]: unknown;
}

/** The states of one level (the top, a Parallel branch or a Map's processor) and the language around them. */
export interface StateScope {
  states: Record<string, AslState>;
  topLanguage: QueryLanguage;
}

const WAIT_FOR_TOKEN = ".waitForTaskToken";

/** The value of an object's own property: definitions come from outside, so `constructor` is just a name. */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && record !== null && typeof record === "object" && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A definition given as JSON text or as an already parsed document. */
export function definitionDocument(definition: string | DefinitionDocument): DefinitionDocument {
  const doc: unknown = typeof definition === "string" ? JSON.parse(definition) : definition;
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new TypeError("A state machine definition is a JSON object.");
  return doc as DefinitionDocument;
}

/** The query language a state runs in: its own, else the definition's top level. */
export function languageOf(state: AslState, topLanguage: QueryLanguage): QueryLanguage {
  if (state.QueryLanguage === "JSONata" || state.QueryLanguage === "JSONPath") return state.QueryLanguage;
  return topLanguage;
}

function isStateMap(value: unknown): value is Record<string, AslState> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The nested levels of a Parallel (one per branch, keyed by index) or a Map (one, keyed by nothing). */
function children(state: AslState): { key: number | undefined; states: Record<string, AslState> }[] {
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    return state.Branches.flatMap((branch: unknown, index) => {
      const states = (branch as { States?: unknown } | null)?.States;
      return isStateMap(states) ? [{ key: index, states }] : [];
    });
  }
  if (state.Type === "Map") {
    const processor = (state.ItemProcessor ?? state.Iterator) as { States?: unknown } | undefined;
    return isStateMap(processor?.States) ? [{ key: undefined, states: processor.States }] : [];
  }
  return [];
}

/**
 * Every Task state whose Resource ends with `.waitForTaskToken`, at any depth: inside Parallel
 * branches and Map processors (`ItemProcessor`, or the older `Iterator`), in document order.
 */
export function findCallbackTasks(definition: string | DefinitionDocument): CallbackTask[] {
  const doc = definitionDocument(definition);
  const topLanguage: QueryLanguage = doc.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  const found: CallbackTask[] = [];
  const visit = (states: Record<string, AslState>, prefix: (string | number)[], depth: number) => {
    if (depth > 32) return; // deeper nesting than any real workflow: stop rather than overflow
    for (const [name, state] of Object.entries(states)) {
      if (state === null || typeof state !== "object") continue;
      if (state.Type === "Task" && typeof state.Resource === "string" && state.Resource.endsWith(WAIT_FOR_TOKEN)) {
        found.push({
          name,
          path: [...prefix, name],
          queryLanguage: languageOf(state, topLanguage),
          resource: state.Resource,
          timeoutSeconds: typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : undefined,
          heartbeatSeconds: typeof state.HeartbeatSeconds === "number" ? state.HeartbeatSeconds : undefined,
        });
      }
      for (const child of children(state)) {
        visit(child.states, child.key === undefined ? [...prefix, name] : [...prefix, name, child.key], depth + 1);
      }
    }
  };
  if (isStateMap(doc.States)) visit(doc.States, [], 0);
  return found;
}

/**
 * The level a state at `path` lives in, and the state itself; undefined when the path names no state.
 */
export function locateState(
  definition: DefinitionDocument,
  path: StatePath,
): { scope: StateScope; name: string; state: AslState } | undefined {
  const topLanguage: QueryLanguage = definition.QueryLanguage === "JSONata" ? "JSONata" : "JSONPath";
  let states = isStateMap(definition.States) ? definition.States : undefined;
  for (let i = 0; states && i < path.length; i++) {
    const name = path[i];
    if (typeof name !== "string") return undefined;
    const state = own(states, name);
    if (!state || typeof state !== "object") return undefined;
    if (i === path.length - 1) return { scope: { states, topLanguage }, name, state };
    const nested = children(state);
    const key = path[i + 1];
    if (state.Type === "Parallel") {
      states = nested.find((c) => c.key === key)?.states;
      i++;
    } else {
      states = nested[0]?.states;
    }
  }
  return undefined;
}
