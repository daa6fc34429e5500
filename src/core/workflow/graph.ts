import type { HistoryEvent } from "../../aws/sfn.js";
import { newestFirst } from "../executions/history.js";
import type { AslState } from "./definition.js";

/** One way out of a state: its target and, for Choice rules and Catch, the condition. */
export interface Transition {
  /** Where it leads. */
  next: string;
  /** Why it is taken, e.g. `$.Status == "Approved! ..."`; undefined for a plain `Next`. */
  label?: string;
}

/** Where an execution has been, read from its history. */
export interface Trace {
  /** States entered, in order (a state entered twice appears twice). */
  visited: string[];
  /** The state it is in now, while it runs. */
  current?: string;
  /** The state it ended in without leaving it (failed, timed out or aborted there). */
  stoppedIn?: string;
  /** Every `from → to` move it made, as `from\u0000to` keys. */
  moves: Set<string>;
}

/** What a state is for an execution: drawn as a mark on the graph. */
export type StateMark = "visited" | "current" | "stopped" | "not-visited";

/** A state of a definition, marked for one execution: what `show` draws and what `show --json` reports. */
export interface GraphState {
  name: string;
  type: string;
  mark: StateMark;
  end: boolean;
  transitions: { next: string; label: string | null; taken: boolean }[];
}

/** Every state of a definition, marked with where the traced execution went. */
export function markedStates(states: Record<string, AslState>, trace: Trace): GraphState[] {
  return Object.entries(states).map(([name, state]) => ({
    name,
    type: state.Type,
    mark: markOf(trace, name),
    end: isEndState(state),
    transitions: transitionsOf(state).map((t) => ({
      next: t.next,
      label: t.label ?? null,
      taken: trace.moves.has(moveKey(name, t.next)),
    })),
  }));
}

const COMPARATORS: Record<string, string> = {
  StringEquals: "==",
  StringEqualsPath: "==",
  NumericEquals: "==",
  NumericEqualsPath: "==",
  BooleanEquals: "==",
  BooleanEqualsPath: "==",
  TimestampEquals: "==",
  StringLessThan: "<",
  NumericLessThan: "<",
  TimestampLessThan: "<",
  StringGreaterThan: ">",
  NumericGreaterThan: ">",
  TimestampGreaterThan: ">",
  StringLessThanEquals: "<=",
  NumericLessThanEquals: "<=",
  TimestampLessThanEquals: "<=",
  StringGreaterThanEquals: ">=",
  NumericGreaterThanEquals: ">=",
  TimestampGreaterThanEquals: ">=",
  StringMatches: "matches",
  IsPresent: "is present:",
  IsNull: "is null:",
  IsString: "is string:",
  IsNumeric: "is numeric:",
  IsBoolean: "is boolean:",
  IsTimestamp: "is timestamp:",
};

/** A Choice rule in words: `$.Status == "Approved! ..."`, or its combinator for And/Or/Not. */
export function describeRule(rule: Record<string, unknown>): string {
  if (typeof rule.Condition === "string") return rule.Condition;
  for (const combinator of ["And", "Or", "Not"]) if (combinator in rule) return `${combinator}(…)`;
  const variable = typeof rule.Variable === "string" ? rule.Variable : "?";
  const key = Object.keys(rule).find((k) => k in COMPARATORS);
  if (!key) return variable;
  return `${variable} ${COMPARATORS[key]} ${JSON.stringify(rule[key])}`;
}

/** The ways out of a state, in the order the definition lists them: Choice rules, Default, Next, Catch. */
export function transitionsOf(state: AslState): Transition[] {
  const out: Transition[] = [];
  for (const rule of state.Choices ?? []) if (rule.Next) out.push({ next: rule.Next, label: describeRule(rule) });
  if (state.Default) out.push({ next: state.Default, label: "otherwise" });
  if (state.Next) out.push({ next: state.Next, ...(state.Type === "Choice" ? { label: "otherwise" } : {}) });
  const catchers = Array.isArray(state.Catch) ? (state.Catch as { ErrorEquals?: string[]; Next?: string }[]) : [];
  for (const c of catchers) if (c.Next) out.push({ next: c.Next, label: `catch ${(c.ErrorEquals ?? []).join(", ")}` });
  return out;
}

/** Whether the state ends the execution when it finishes. */
export function isEndState(state: AslState): boolean {
  return state.End === true || state.Type === "Succeed" || state.Type === "Fail";
}

/** The states an execution entered, the moves between them, and where it is or stopped. */
export function traceExecution(events: readonly HistoryEvent[], status: string | undefined): Trace {
  const ordered = newestFirst(events).reverse();
  const visited: string[] = [];
  const moves = new Set<string>();
  let open: string | undefined;
  for (const event of ordered) {
    const type = event.type ?? "";
    const entered = type.endsWith("StateEntered") ? event.stateEnteredEventDetails?.name : undefined;
    if (entered) {
      const previous = visited.at(-1);
      if (previous !== undefined) moves.add(moveKey(previous, entered));
      visited.push(entered);
      open = entered;
    } else if (type.endsWith("StateExited") && event.stateExitedEventDetails?.name === open) {
      open = undefined;
    }
  }
  if (open === undefined) return { visited, moves };
  return status === "RUNNING" || status === undefined ? { visited, moves, current: open } : { visited, moves, stoppedIn: open };
}

/** The key of a move in {@link Trace.moves}. */
function moveKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** How a state is marked for an execution. */
export function markOf(trace: Trace, name: string): StateMark {
  if (trace.current === name) return "current";
  if (trace.stoppedIn === name) return "stopped";
  return trace.visited.includes(name) ? "visited" : "not-visited";
}

/**
 * The state the execution went to from the Choice state that reads the callback's result:
 * `ApprovedPassState` or `RejectedPassState` for the template. Undefined until it got there.
 */
export function branchTaken(trace: Trace, choiceState: string): string | undefined {
  const at = trace.visited.lastIndexOf(choiceState);
  return at >= 0 ? trace.visited[at + 1] : undefined;
}

/** Every state name in a definition, including those nested in Parallel branches and Map processors. */
export function allStateNames(states: Record<string, AslState>): Set<string> {
  const names = new Set<string>();
  const visit = (level: Record<string, AslState> | undefined) => {
    for (const [name, state] of Object.entries(level ?? {})) {
      names.add(name);
      for (const branch of (state.Branches as { States?: Record<string, AslState> }[] | undefined) ?? []) visit(branch.States);
      for (const key of ["Iterator", "ItemProcessor"]) visit((state[key] as { States?: Record<string, AslState> } | undefined)?.States);
    }
  };
  visit(states);
  return names;
}
