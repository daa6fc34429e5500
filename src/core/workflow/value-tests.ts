// The tests a Choice rule makes of one value, and what a value can be: shared by the solver and both languages.

/** A test of one value, shared by the JSONPath rules and the JSONata conditions. */
export type Test =
  | { op: "equals"; value: string | number | boolean | null }
  | { op: "less" | "lessEq" | "greater" | "greaterEq"; value: string | number }
  | { op: "matches"; pattern: string }
  | { op: "present" }
  | { op: "null" }
  | { op: "type"; type: "string" | "number" | "boolean" }
  /** A value standing alone as a JSONata condition: only `true` is true. */
  | { op: "true" };

/** Absent, as opposed to `null`. */
export const MISSING: unique symbol = Symbol("missing");
/** What a value read from a state's data can be. */
export type Value = unknown | typeof MISSING;

/**
 * How a language decides a test: true, false, or undefined where the outcome is an error or not known
 * for certain (a comparison on an absent field fails the execution in JSONPath).
 */
export type Semantics = (test: Test, value: Value) => boolean | undefined;

/** A test with the place it reads, wanted true, false, or only with a certain outcome ("defined"). */
export interface Literal {
  path: readonly string[];
  test: Test;
  positive: boolean | "defined";
}
