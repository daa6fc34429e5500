import type { Place } from "./answer-flow.js";
import { candidates } from "./candidates.js";
import { type Literal, MISSING, type Semantics, type Test, type Value } from "./value-tests.js";

export { type Literal, MISSING, type Semantics, type Test, type Value } from "./value-tests.js";

/** A Choice rule, reduced to tests of single values; `refuse` marks what cannot be solved for certain, and why. */
export type Formula =
  | { and: Formula[] }
  | { or: Formula[] }
  | { not: Formula }
  | { atom: Place; test: Test }
  | { constant: boolean }
  | { refuse: string };

const MAX_CONJUNCTIONS = 2000;

/** The alternatives (each a list of literals that must all hold) that make `formula` come out as `want`. */
function* alternatives(formula: Formula, want: boolean): Generator<Literal[]> {
  if ("constant" in formula) {
    if (formula.constant === want) yield [];
  } else if ("not" in formula) {
    yield* alternatives(formula.not, !want);
  } else if ("atom" in formula) {
    // Atoms elsewhere than in the answer became constants or refusals when the rules were read.
    if (formula.atom.kind === "answer") yield [{ path: formula.atom.path, test: formula.test, positive: want }];
  } else if (!("refuse" in formula)) {
    const parts = "and" in formula ? formula.and : formula.or;
    // (a and b) true, or (a or b) false: every part; otherwise any one part.
    if ("and" in formula === want) yield* every(parts, want);
    else for (const part of parts) yield* alternatives(part, want);
  }
}

/** Every combination of one alternative per part, without recursion: a rule may And thousands of tests. */
function* every(parts: Formula[], want: boolean): Generator<Literal[]> {
  if (parts.length === 0) {
    yield [];
    return;
  }
  const iterators: Iterator<Literal[]>[] = [alternatives(parts[0] as Formula, want)];
  const chosen: Literal[][] = [];
  while (iterators.length > 0) {
    const level = iterators.length - 1;
    const next = (iterators[level] as Iterator<Literal[]>).next();
    if (next.done) {
      iterators.pop();
      continue;
    }
    chosen[level] = next.value;
    if (level === parts.length - 1) yield chosen.slice(0, parts.length).flat();
    else iterators.push(alternatives(parts[level + 1] as Formula, want));
  }
}

/** The reasons to refuse anywhere in a formula. */
function refusalsIn(formula: Formula, found = new Set<string>()): Set<string> {
  if ("refuse" in formula) found.add(formula.refuse);
  else if ("not" in formula) refusalsIn(formula.not, found);
  else if ("and" in formula || "or" in formula) for (const part of "and" in formula ? formula.and : formula.or) refusalsIn(part, found);
  return found;
}

function satisfies(value: Value, literals: Literal[], semantics: Semantics): boolean {
  return literals.every((l) =>
    l.positive === "defined" ? semantics(l.test, value) !== undefined : semantics(l.test, value) === l.positive,
  );
}

/**
 * Every test on the answer the rules make, wanted with a certain outcome: a rule evaluated with an
 * absent field (or a mismatched type) may fail the execution, even where another part already decides it.
 */
function definedLiterals(formula: Formula, found: Literal[] = []): Literal[] {
  if ("atom" in formula && formula.atom.kind === "answer") found.push({ path: formula.atom.path, test: formula.test, positive: "defined" });
  else if ("not" in formula) definedLiterals(formula.not, found);
  else if ("and" in formula || "or" in formula)
    for (const part of "and" in formula ? formula.and : formula.or) definedLiterals(part, found);
  return found;
}

/** An object with `value` at each path; undefined when the paths collide (a field both a value and an object). */
function assemble(assignments: { path: readonly string[]; value: Value }[]): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = {};
  const sorted = [...assignments].sort((a, b) => a.path.length - b.path.length);
  for (const { path, value } of sorted) {
    if (path.length === 0) return undefined; // the whole answer compared as one value: not an object to build
    let node = root;
    for (const key of path.slice(0, -1)) {
      if (!Object.hasOwn(node, key)) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
      const next = node[key];
      if (next === null || typeof next !== "object" || Array.isArray(next)) return undefined;
      node = next as Record<string, unknown>;
    }
    const last = path[path.length - 1] as string;
    if (Object.hasOwn(node, last)) return undefined;
    if (value !== MISSING) Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/** The outcome of solving: an answer, or why none could be found. */
export type Solution = { output: Record<string, unknown> } | { reason: string };

/**
 * Find an answer that makes every formula of `wanted` come out as its `want`, such that `verify`
 * (an independent evaluation of the real rules) confirms it. The first candidate that verifies wins.
 */
export async function solve(
  wanted: { formula: Formula; want: boolean }[],
  semantics: Semantics,
  verify: (output: Record<string, unknown>) => boolean | Promise<boolean>,
): Promise<Solution> {
  const goal: Formula = { and: wanted.map((w) => (w.want ? w.formula : { not: w.formula })) };
  // A rule with any part not understood is not relied on, even where another part seems to decide it:
  // whether Step Functions evaluates that part (and fails on it) is not known for certain.
  const refused = refusalsIn(goal);
  if (refused.size > 0) return { reason: [...refused].join("; ") };
  const defined = definedLiterals(goal);
  // Answers are built as objects: a rule on the whole answer (`$` after the default ResultPath) would need a bare value.
  if (defined.some((l) => l.path.length === 0)) return { reason: "a rule compares the whole answer, not a field of it" };
  let tried = 0;
  for (const chosen of alternatives(goal, true)) {
    const literals = [...chosen, ...defined];
    if (++tried > MAX_CONJUNCTIONS) return { reason: "the rules have too many combinations to search" };
    const byPath = new Map<string, Literal[]>();
    for (const l of literals) byPath.set(JSON.stringify(l.path), [...(byPath.get(JSON.stringify(l.path)) ?? []), l]);
    const assignments: { path: readonly string[]; value: Value }[] = [];
    for (const group of byPath.values()) {
      const value = candidates(group).find((v) => satisfies(v, group, semantics));
      if (value === undefined) break;
      assignments.push({ path: (group[0] as Literal).path, value });
    }
    if (assignments.length < byPath.size) continue;
    const output = assemble(assignments);
    if (output && (await verify(output))) return { output };
  }
  return {
    reason:
      tried === 0
        ? "no answer can satisfy the rules"
        : "no answer is certain to take this branch: the rules contradict it, or leave only values whose outcome Step Functions does not define",
  };
}
