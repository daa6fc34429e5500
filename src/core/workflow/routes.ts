import { answerReads, hasPath } from "./answer-flow.js";
import { type DefinitionDocument, definitionDocument, languageOf, locateState, own, type StatePath, type StateScope } from "./callbacks.js";
import { choiceLogic, type EqualityTest, equalityTests } from "./choice-logic.js";
import { type Formula, solve } from "./conditions.js";
import type { AslState } from "./definition.js";
import { afterPass, afterTask, type Stage } from "./state-flow.js";

interface BranchBase {
  /** The state the branch goes to. */
  next: string;
  /** The rule's position in the Choice's `Choices` (from 0), or "Default". */
  rule: number | "Default";
  /** The equality tests the rule itself makes on the answer (all of them must hold; none for Default). */
  tests: EqualityTest[];
  /** The Choice states passed before this branch's own, with the rule taken in each (empty for the first Choice). */
  through: { choice: string; rule: number | "Default" }[];
}

/**
 * One way out of the Choice: the answer that provably takes it, or why none can be given. State names,
 * outputs and reasons quote the definition: untrusted text, to neutralise before any terminal.
 */
export type Branch =
  | (BranchBase & { solvable: true; output: Record<string, unknown> })
  | (BranchBase & { solvable: false; reason: string });

/** Where a callback task's answer leads. */
export type Routes =
  | {
      kind: "choice";
      /** The Choice state that routes on the answer. */
      choiceState: string;
      /** The Pass states between the task and the Choice. */
      via: string[];
      branches: Branch[];
    }
  | {
      /** Nothing routes on the answer: any output takes the workflow to the same place. */
      kind: "no-choice";
      reason: string;
      via: string[];
    };

/** The fields of the answer the states on the way read by name (see {@link answerReads}). */
function readsOf(stage: Stage): (readonly string[])[] {
  return [stage.data, ...stage.variables.values()].flatMap((flow) => answerReads(flow));
}

/**
 * Where the answer of the callback task at `taskPath` leads: follow its result (JSONPath:
 * ResultSelector, ResultPath, OutputPath; JSONata: Output and Assign) through any Pass states to the
 * Choice after it, and for each branch (each rule in order, then Default) find an output that takes
 * exactly that branch: that rule true and every rule before it false. Each output is checked by an
 * independent evaluation of the Choice (the `jsonata` package for JSONata) before it is returned;
 * anything not certain is a branch with `solvable: false` and the reason. No Choice after the task
 * (directly or through Pass states) gives `kind: "no-choice"`. Throws when no state is at `taskPath`.
 */
export async function routesAfter(definition: string | DefinitionDocument, taskPath: StatePath): Promise<Routes> {
  const doc = definitionDocument(definition);
  const found = locateState(doc, taskPath);
  if (!found) throw new Error(`No state at ${JSON.stringify(taskPath)} in the definition.`);
  const { scope, name: taskName, state: task } = found;
  let stage = afterTask(task, languageOf(task, scope.topLanguage));
  const reads = readsOf(stage);
  const via: string[] = [];
  let current = task;
  let name = taskName;
  for (;;) {
    if (current.End === true || typeof current.Next !== "string") {
      return {
        kind: "no-choice",
        reason: `nothing routes on the answer: "${name}" ends its ${taskPath.length > 1 ? "branch" : "workflow"}`,
        via,
      };
    }
    const nextName = current.Next;
    const next = own(scope.states, nextName);
    if (!next || via.includes(nextName) || nextName === taskName) {
      return { kind: "no-choice", reason: `nothing routes on the answer: "${name}" leads to no Choice state`, via };
    }
    const language = languageOf(next, scope.topLanguage);
    if (next.Type === "Choice")
      return { kind: "choice", choiceState: nextName, via, branches: await branchesOf(nextName, scope, language, stage, reads) };
    if (next.Type !== "Pass") {
      return { kind: "no-choice", reason: `nothing routes on the answer: "${name}" goes on to the ${next.Type} state "${nextName}"`, via };
    }
    stage = afterPass(next, language, stage);
    reads.push(...readsOf(stage));
    via.push(nextName);
    current = next;
    name = nextName;
  }
}

/** What the Choice states passed so far require of the answer, and how to check it. */
interface Passed {
  wanted: { formula: Formula; want: boolean }[];
  takes: (output: Record<string, unknown>) => boolean | Promise<boolean>;
  through: BranchBase["through"];
}

const NOTHING_PASSED: Passed = { wanted: [], takes: () => true, through: [] };

/** A Choice state that hands its input on unchanged, in `language`: another Choice after it reads the same data. */
function passesInputOn(state: AslState | undefined, language: "JSONPath" | "JSONata", scope: StateScope): boolean {
  if (state?.Type !== "Choice" || languageOf(state, scope.topLanguage) !== language) return false;
  return !["InputPath", "OutputPath", "Output", "Assign"].some((field) => field in state);
}

/**
 * The branches of the Choice `name`. A branch that leads to another Choice (in the same language, with
 * the data passed on unchanged) is replaced by that Choice's branches, each requiring this rule as well.
 */
async function branchesOf(
  name: string,
  scope: StateScope,
  language: "JSONPath" | "JSONata",
  stage: Stage,
  reads: (readonly string[])[],
  passed: Passed = NOTHING_PASSED,
): Promise<Branch[]> {
  const choice = own(scope.states, name) as AslState;
  const { rules, formulas, takes, semantics } = choiceLogic(name, choice, language, stage);
  const branches: Branch[] = [];
  const targets: { index: number; next: unknown }[] = rules.map((rule, index) => ({ index, next: rule?.Next }));
  if (typeof choice.Default === "string") targets.push({ index: -1, next: choice.Default });
  for (const { index, next } of targets) {
    if (typeof next !== "string") continue;
    const rule = index >= 0 ? index : ("Default" as const);
    const earlier = formulas.slice(0, index >= 0 ? index : formulas.length).map((formula) => ({ formula, want: false }));
    const target = index >= 0 ? [{ formula: formulas[index] as Formula, want: true }] : [];
    const wanted = [...passed.wanted, ...target, ...earlier];
    const check = async (output: Record<string, unknown>) => (await passed.takes(output)) && (await takes(index)(output));
    const through = [...passed.through, { choice: name, rule }];
    const chained = passesInputOn(choice, language, scope) && passesInputOn(own(scope.states, next), language, scope);
    if (chained && !through.some((t) => t.choice === next)) {
      branches.push(...(await branchesOf(next, scope, language, stage, reads, { wanted, takes: check, through })));
      continue;
    }
    let solution = await solve(wanted, semantics, check);
    const output = "output" in solution ? solution.output : undefined;
    const unread = output && reads.find((path) => !hasPath(output, path));
    if (unread) solution = { reason: `the workflow reads the answer's field ${unread.join(".")}, which no rule decides` };
    const base = { next, rule, tests: index >= 0 ? equalityTests(formulas[index] as Formula) : [], through: passed.through };
    branches.push(
      "output" in solution ? { ...base, solvable: true, output: solution.output } : { ...base, solvable: false, reason: solution.reason },
    );
  }
  return branches;
}
