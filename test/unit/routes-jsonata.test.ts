import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { branches, summary } from "./workflow-builders.js";

const JSONATA = { language: "JSONata" as const };
const rule = (condition: string, Next = "Yes") => ({ Condition: `{% ${condition} %}`, Next });

describe("JSONata conditions", () => {
  it("solves each comparison, with the literal on either side", async () => {
    const list = await branches(
      [
        rule("$states.input.n > 10", "Gt"),
        rule("5 >= $states.input.n", "LeFlipped"),
        rule("$states.input.n < 7", "Lt"),
        rule("$states.input.n <= 8", "Le"),
        rule("$states.input.s = 'x'", "Eq"),
        rule("$states.input.s != 'y'", "Ne"),
      ],
      JSONATA,
    );
    expect(summary(list)).toEqual([
      'Gt → {"n":11}',
      'LeFlipped → {"n":5}',
      'Lt → {"n":6}',
      'Le → {"n":8}',
      expect.stringMatching(/^Eq → \{"s":"x","n":/),
      expect.stringMatching(/^Ne → \{"s":"other","n":/),
    ]);
  });

  it("solves and, or, $not, in, and a value standing alone", async () => {
    const list = await branches(
      [
        rule("$states.input.ok and $states.input.level >= 2", "Both"),
        rule("$not($states.input.ok)", "NotOk"),
        rule("$states.input.tag in ['red', 'blue']", "Colour"),
      ],
      { ...JSONATA, choice: { Default: "Rest" } },
    );
    expect(summary(list)).toEqual([
      'Both → {"ok":true,"level":2}',
      'NotOk → {"ok":false,"level":2}',
      'Colour → {"tag":"red","level":1,"ok":true}',
      'Rest → {"level":1,"ok":true,"tag":"other"}',
    ]);
  });

  it("follows Output: a path into the result, and an object of such paths", async () => {
    const [path] = await branches([rule("$states.input.ok = true")], { ...JSONATA, task: { Output: "{% $states.result.review %}" } });
    expect(path).toMatchObject({ output: { review: { ok: true } } });
    const [object] = await branches([rule("$states.input.d = 'go' and $states.input.kind = 'fixed'")], {
      ...JSONATA,
      task: { Output: { d: "{% $states.result.decision %}", kind: "fixed" } },
    });
    expect(object).toMatchObject({ output: { decision: "go" } });
  });

  it("follows Assign into the variables the Choice reads", async () => {
    const [variable] = await branches([rule("$decision.level > 2")], {
      ...JSONATA,
      task: { Assign: { decision: "{% $states.result %}" } },
    });
    expect(variable).toMatchObject({ output: { level: 3 } });
  });

  it("refuses an Output it does not follow, a variable the answer does not set, and the context", async () => {
    const [computed] = await branches([rule("$states.input = 'A'")], {
      ...JSONATA,
      task: { Output: "{% $uppercase($states.result.d) %}" },
    });
    expect(computed).toMatchObject({ solvable: false, reason: expect.stringContaining("not a plain path") });
    const [before] = await branches([rule("$earlier = 1")], JSONATA);
    expect(before).toMatchObject({ solvable: false, reason: expect.stringContaining("$earlier, which your answer does not set") });
    const [context] = await branches([rule("$states.context.Execution.Name = 'x'")], JSONATA);
    expect(context).toMatchObject({ solvable: false, reason: expect.stringContaining("context") });
  });

  it("refuses functions, arithmetic, filters and comparisons of two fields", async () => {
    const list = await branches(
      [
        rule("$length($states.input.s) > 2", "Function"),
        rule("$states.input.n + 1 = 3", "Arithmetic"),
        rule("$states.input.items[0] = 'a'", "Filter"),
        rule("$states.input.a = $states.input.b", "TwoFields"),
        { Condition: "$states.input.ok", Next: "NotAnExpression" },
      ],
      JSONATA,
    );
    const reasons = [
      "rule 1 ({% $length($states.input.s) > 2 %}) compares a function call ($length) (>)",
      "rule 2 ({% $states.input.n + 1 = 3 %}) compares arithmetic (+) (=)",
      "rule 3 ({% $states.input.items[0] = 'a' %}) compares a field with a filter, an index or a step it does not follow (=)",
      "rule 4 ({% $states.input.a = $states.input.b %}) compares two fields (=)",
      "rule 5 ($states.input.ok) is not a {% ... %} expression",
    ];
    // A branch needs every rule before it false: it names their reasons too.
    expect(list.map((b) => !b.solvable && b.reason.split("; "))).toEqual(
      reasons.map((_, i) => expect.arrayContaining(reasons.slice(0, i + 1).map((r) => expect.stringContaining(r)))),
    );
  });

  it("requires every field Output or Assign reads: Step Functions fails on an absent one", async () => {
    const [branch] = await branches([rule("$states.input.ok = true")], {
      ...JSONATA,
      task: { Assign: { note: "{% $states.result.note %}" } },
    });
    expect(branch).toMatchObject({ solvable: false, reason: expect.stringContaining("reads the answer's field note") });
  });

  it("reads a JSONPath task's output from a JSONata Choice", async () => {
    const [branch] = await branches([rule("$states.input.r.ok = true")], {
      task: { ResultPath: "$.r" },
      choice: { QueryLanguage: "JSONata" },
    });
    expect(branch).toMatchObject({ output: { ok: true } });
  });

  it("returns outputs the jsonata package itself takes down the branch", async () => {
    const conditions = ["$states.input.a = 'x' or ($states.input.b > 1 and $states.input.c != false)", "$states.input.b in [0, -1]"];
    const list = await branches(
      conditions.map((c) => rule(c)),
      JSONATA,
    );
    for (const [i, branch] of list.entries()) {
      if (!branch.solvable) throw new Error(branch.reason);
      for (const [j, condition] of conditions.slice(0, i + 1).entries()) {
        expect(await jsonata(condition).evaluate({}, { states: { input: branch.output } })).toBe(i === j);
      }
    }
  });
});
