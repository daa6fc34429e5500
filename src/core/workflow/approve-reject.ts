import type { Branch, Routes } from "./routes.js";

/** A branch that can be taken: it has an output. */
export type SolvedBranch = Extract<Branch, { solvable: true }>;

/** Which branch `approve` and `reject` send the workflow to, or why they cannot be told apart. */
export type ApproveRejectMapping =
  | {
      approve: SolvedBranch;
      reject: SolvedBranch;
      /** The rule that decided, in words: "template", "boolean" or "names". */
      by: "template" | "boolean" | "names";
    }
  | { approve: undefined; reject: undefined; reason: string };

const APPROVE = new Set(["approve", "approved", "approval", "accept", "accepted", "allow", "allowed", "grant", "granted"]);
const REJECT = new Set(["reject", "rejected", "rejection", "deny", "denied", "decline", "declined", "refuse", "refused"]);
const NEGATION = new Set(["not", "no", "non", "never", "dont", "cannot", "un"]);

/** The words of a name or value: split at case changes, digits and punctuation, lower-cased. */
function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
}

/** "approve", "reject" or undefined: what a branch's target and compared strings say, when they say one thing only. */
function sayOf(branch: SolvedBranch): "approve" | "reject" | undefined {
  const found = [branch.next, ...branch.tests.map((t) => t.value).filter((v): v is string => typeof v === "string")].flatMap(words);
  if (found.some((w) => NEGATION.has(w))) return undefined;
  const approve = found.some((w) => APPROVE.has(w));
  const reject = found.some((w) => REJECT.has(w));
  return approve === reject ? undefined : approve ? "approve" : "reject";
}

function byTemplate(branches: SolvedBranch[]): [SolvedBranch, SolvedBranch] | undefined {
  const status = (prefix: string) =>
    branches.filter((b) => b.tests.length === 1 && b.tests[0]?.path.join(".") === "Status" && String(b.tests[0]?.value).startsWith(prefix));
  const [approve, reject] = [status("Approved! "), status("Rejected! ")];
  return approve.length === 1 && reject.length === 1 ? [approve[0] as SolvedBranch, reject[0] as SolvedBranch] : undefined;
}

function byBoolean(branches: SolvedBranch[]): [SolvedBranch, SolvedBranch] | undefined {
  const [a, b] = branches;
  if (branches.length !== 2 || !a || !b || a.tests.length !== 1 || b.tests.length !== 1) return undefined;
  const [ta, tb] = [a.tests[0], b.tests[0]];
  if (!ta || !tb || typeof ta.value !== "boolean" || typeof tb.value !== "boolean" || ta.value === tb.value) return undefined;
  if (JSON.stringify(ta.path) !== JSON.stringify(tb.path)) return undefined;
  return ta.value ? [a, b] : [b, a];
}

function byNames(branches: SolvedBranch[]): [SolvedBranch, SolvedBranch] | undefined {
  const approve = branches.filter((b) => sayOf(b) === "approve");
  const reject = branches.filter((b) => sayOf(b) === "reject");
  return approve.length === 1 && reject.length === 1 ? [approve[0] as SolvedBranch, reject[0] as SolvedBranch] : undefined;
}

/**
 * Map `approve` and `reject` to branches only where the definition leaves no doubt. Only solvable
 * branches of Choice rules count (never Default, which is what no rule matched). Three rules, in this order:
 * 1. This project's template: one rule tests `Status` equal to a string starting with `Approved! `,
 *    one to a string starting with `Rejected! `.
 * 2. A boolean: exactly two such branches, each a single test of the same field equal to true and to
 *    false; true is approve.
 * 3. Names: exactly one branch whose target state name and compared strings contain an approving word
 *    (approve, approved, accept, allow, grant, ...) and exactly one whose words reject (reject, rejected,
 *    deny, decline, refuse, ...); a branch with both kinds, or with a negation (not, no, never, ...),
 *    says nothing. Other branches (escalate, ...) may exist beside them.
 * When two rules apply and disagree, there is no mapping. Otherwise none either, with the reason.
 */
export function approveRejectMapping(routes: Routes): ApproveRejectMapping {
  const none = (reason: string): ApproveRejectMapping => ({ approve: undefined, reject: undefined, reason });
  if (routes.kind === "no-choice") return none(routes.reason);
  const branches = routes.branches.filter((b): b is SolvedBranch => b.solvable && b.rule !== "Default");
  if (branches.length < 2) return none(`the Choice "${routes.choiceState}" has ${branches.length} branch(es) an answer can take`);
  const found = (
    [
      ["template", byTemplate(branches)],
      ["boolean", byBoolean(branches)],
      ["names", byNames(branches)],
    ] as const
  ).filter((entry): entry is readonly ["template" | "boolean" | "names", [SolvedBranch, SolvedBranch]] => entry[1] !== undefined);
  const [first] = found;
  if (!first) return none(`nothing in the Choice "${routes.choiceState}" says which branch approves and which rejects`);
  if (found.some(([, pair]) => pair[0] !== first[1][0] || pair[1] !== first[1][1])) {
    return none(`the Choice "${routes.choiceState}" says approve and reject in contradicting ways`);
  }
  return { approve: first[1][0], reject: first[1][1], by: first[0] };
}
