import { describe, expect, it } from "vitest";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { branches, summary, workflow } from "./workflow-builders.js";

const x = (rule: Record<string, unknown>, Next = "Yes") => ({ Variable: "$.x", ...rule, Next });

describe("JSONPath rules, each branch solved in order", () => {
  it("takes a later rule only with every earlier rule false", async () => {
    const list = await branches([x({ StringEquals: "a" }, "A"), x({ StringEquals: "a" }, "Shadowed"), x({ StringEquals: "b" }, "B")], {
      choice: { Default: "Other" },
    });
    expect(summary(list)).toEqual([
      'A → {"x":"a"}',
      expect.stringMatching(/^Shadowed ✗ no answer is certain/),
      'B → {"x":"b"}',
      'Other → {"x":"other"}',
    ]);
  });

  it("solves numeric comparisons at their edges", async () => {
    const list = await branches([
      x({ NumericGreaterThan: 10 }, "Big"),
      x({ NumericEquals: 1.5 }, "Half"),
      x({ NumericGreaterThanEquals: 2 }, "Mid"),
      x({ NumericLessThanEquals: -3 }, "Negative"),
    ]);
    expect(summary(list)).toEqual(['Big → {"x":11}', 'Half → {"x":1.5}', 'Mid → {"x":2}', 'Negative → {"x":-3}']);
  });

  it("finds a number in a gap narrower than any step of 1", async () => {
    const [tiny] = await branches([{ And: [x({ NumericGreaterThan: 0 }), x({ NumericLessThan: 1e-300 })], Next: "Tiny" }]);
    const value = tiny?.solvable ? (tiny.output.x as number) : Number.NaN;
    expect(value > 0 && value < 1e-300).toBe(true);
    expect(JSON.parse(JSON.stringify(tiny?.solvable && tiny.output)).x).toBe(value);
  });

  it("refuses numbers a double cannot hold exactly, the largest double included", async () => {
    const list = await branches([x({ NumericEquals: 2 ** 53 + 2 }), x({ NumericGreaterThan: Number.MAX_VALUE })]);
    for (const branch of list)
      expect(branch).toMatchObject({ solvable: false, reason: expect.stringContaining("beyond what a double holds exactly") });
  });

  it("solves BooleanEquals, IsPresent, IsNull and the type tests", async () => {
    const list = await branches([
      x({ IsPresent: false }, "Absent"),
      x({ IsNull: true }, "Null"),
      x({ IsBoolean: true, BooleanEquals: undefined }, "Bool"),
      x({ IsString: false }, "NotString"),
      x({ IsNumeric: false }, "Text"),
    ]);
    expect(summary(list)).toEqual(["Absent → {}", 'Null → {"x":null}', 'Bool → {"x":true}', 'NotString → {"x":0}', 'Text → {"x":"other"}']);
  });

  it("solves And, Or and Not", async () => {
    const list = await branches([
      {
        And: [
          { Variable: "$.n", NumericGreaterThanEquals: 20 },
          { Variable: "$.n", NumericLessThan: 30 },
        ],
        Next: "Twenties",
      },
      { Or: [x({ StringEquals: "p" }), { Variable: "$.y", BooleanEquals: true }], Next: "Either" },
      { Not: x({ StringEquals: "q" }), Next: "NotQ" },
    ]);
    // Every field an evaluated rule compares is given a value, so that no comparison meets an absent field.
    expect(summary(list)).toEqual(['Twenties → {"n":20}', 'Either → {"x":"p","n":19,"y":true}', 'NotQ → {"x":"other","n":19,"y":false}']);
  });

  it("does not rely on a comparison of mismatched types being false", async () => {
    // x = "p" would need NumericGreaterThan on a string to be false: AWS documents no such outcome.
    const [, either] = await branches([x({ NumericGreaterThan: 1 }, "Number"), x({ StringEquals: "p" }, "P")]);
    expect(either).toMatchObject({ solvable: false });
  });
});

describe("StringMatches", () => {
  it("builds a matching string from the pattern, its stars matching nothing", async () => {
    const [log] = await branches([x({ StringMatches: "log-*.txt" })]);
    expect(log).toMatchObject({ output: { x: "log-.txt" } });
  });

  it("takes regular-expression characters literally, and \\* as a star", async () => {
    const list = await branches([x({ StringMatches: "a.b+[c](d)?^$|" }, "Regex"), x({ StringMatches: "price\\*\\\\*" }, "Star")]);
    expect(summary(list)).toEqual(['Regex → {"x":"a.b+[c](d)?^$|"}', 'Star → {"x":"price*\\\\"}']);
  });

  it("refuses an escape AWS does not define, and a negation nothing satisfies", async () => {
    const list = await branches([x({ StringMatches: "\\d+" }, "Escape"), { Not: x({ StringMatches: "*" }), Next: "NotAnything" }]);
    expect(list[0]).toMatchObject({ solvable: false, reason: expect.stringContaining("escape") });
    expect(list[1]).toMatchObject({ solvable: false });
  });
});

describe("the answer's way to the Choice (JSONPath)", () => {
  it("places the answer at a nested ResultPath", async () => {
    const [ok] = await branches([{ Variable: "$.review.ok", BooleanEquals: true, Next: "Ok" }], { task: { ResultPath: "$.review" } });
    expect(ok).toMatchObject({ output: { ok: true } });
  });

  it("says a rule outside the ResultPath depends on the execution's input", async () => {
    const [amount] = await branches([{ Variable: "$.amount", NumericGreaterThan: 5, Next: "Big" }], { task: { ResultPath: "$.review" } });
    expect(amount).toMatchObject({ solvable: false, reason: expect.stringContaining("depends on the execution's input") });
    const [dropped] = await branches([x({ StringEquals: "a" })], { task: { ResultPath: null } });
    expect(dropped).toMatchObject({ solvable: false, reason: expect.stringContaining("execution's input") });
  });

  it("maps fields through ResultSelector, and decides its constants at once", async () => {
    const list = await branches(
      [
        { Variable: "$.r.source", StringEquals: "other", Next: "Never" },
        { Variable: "$.r.ok", BooleanEquals: true, Next: "Ok" },
        { Variable: "$.r.source", StringEquals: "selector", Next: "Always" },
        { Variable: "$.r.ok", BooleanEquals: false, Next: "Unreachable" },
      ],
      { task: { ResultSelector: { "ok.$": "$.approval.ok", source: "selector" }, ResultPath: "$.r" } },
    );
    expect(summary(list)).toEqual([
      expect.stringMatching(/^Never ✗/),
      'Ok → {"approval":{"ok":true}}',
      'Always → {"approval":{"ok":false}}',
      expect.stringMatching(/^Unreachable ✗/),
    ]);
  });

  it("follows OutputPath, Pass states with Parameters and InputPath, and the Choice's InputPath", async () => {
    const list = await branches([{ Variable: "$.decision", StringEquals: "yes", Next: "Yes" }], {
      task: { ResultPath: "$.answer", OutputPath: "$.answer" },
      between: [{}, { Parameters: { "decision.$": "$.d", "by.$": "$$.Execution.Name" }, ResultPath: "$.p" }],
      choice: { InputPath: "$.p" },
    });
    expect(summary(list)).toEqual(['Yes → {"d":"yes"}']);
  });

  it("decides a rule on a Pass state's Result as the constant it is", async () => {
    const list = await branches([x({ StringEquals: "fixed" }, "Fixed"), x({ StringEquals: "a" }, "A")], {
      between: [{ Result: { x: "fixed" } }],
    });
    expect(summary(list)).toEqual(["Fixed → {}", expect.stringMatching(/^A ✗/)]);
  });

  it("compares with a constant through ...Path, and refuses a comparison with the input or another field", async () => {
    const list = await branches(
      [
        { Variable: "$.r.level", StringEqualsPath: "$.r.wanted", Next: "Same" },
        { Variable: "$.r.level", StringEqualsPath: "$.limit", Next: "Input" },
        { Variable: "$.r.level", StringEqualsPath: "$.r.level", Next: "Itself" },
      ],
      { task: { ResultSelector: { "level.$": "$.level", wanted: "high" }, ResultPath: "$.r" } },
    );
    expect(summary(list)[0]).toBe('Same → {"level":"high"}');
    expect(list[1]).toMatchObject({ solvable: false, reason: expect.stringContaining("execution's input") });
    expect(list[2]).toMatchObject({ solvable: false, reason: expect.stringContaining("two fields of the answer") });
  });

  it("says so when a rule compares the whole answer rather than a field of it", async () => {
    const [whole] = await branches([{ Variable: "$", StringEquals: "yes", Next: "Yes" }]);
    expect(whole).toMatchObject({ solvable: false, reason: "a rule compares the whole answer, not a field of it" });
  });

  it("refuses what it does not follow: indexes, timestamps, intrinsic functions", async () => {
    const list = await branches([
      { Variable: "$.items[0]", StringEquals: "a", Next: "Index" },
      { Variable: "$.at", TimestampEquals: "2026-01-01T00:00:00Z", Next: "Time" },
    ]);
    expect(list.map((b) => !b.solvable && b.reason)).toEqual([
      expect.stringContaining("plain field names"),
      expect.stringMatching(/TimestampEquals/),
    ]);
    const [intrinsic] = await branches([{ Variable: "$.r.id", StringEquals: "a", Next: "A" }], {
      task: { ResultSelector: { "id.$": "States.Format('{}', $.id)" }, ResultPath: "$.r" },
    });
    expect(intrinsic).toMatchObject({ solvable: false, reason: expect.stringContaining("intrinsic function") });
  });

  it("requires every field a template reads, and refuses to invent one no rule decides", async () => {
    const [branch] = await branches([{ Variable: "$.r.ok", BooleanEquals: true, Next: "Ok" }], {
      task: { ResultSelector: { "ok.$": "$.ok", "note.$": "$.note" }, ResultPath: "$.r" },
    });
    expect(branch).toMatchObject({ solvable: false, reason: expect.stringContaining("reads the answer's field note") });
  });

  it("never returns an output the Choice would not take: the check catches what the solver misses", async () => {
    // IsPresent($.x) false and $.x.y = "a" both hold only if x is absent and present at once.
    const [branch] = await branches([
      {
        And: [
          { Variable: "$.x", IsPresent: false },
          { Variable: "$.x.y", StringEquals: "a" },
        ],
        Next: "Both",
      },
    ]);
    expect(branch).toMatchObject({ solvable: false });
  });

  it("follows a Choice to the next Choice that reads the same data, each branch requiring both rules", async () => {
    const doc = workflow([{ Variable: "$.r.kind", StringEquals: "urgent", Next: "Fast" }], {
      task: { ResultPath: "$.r" },
      choice: { Default: "Second" },
    });
    Object.assign(doc.States!, {
      Second: {
        Type: "Choice",
        Choices: [
          { Variable: "$.r.ok", BooleanEquals: true, Next: "Approved" },
          { Variable: "$.r.ok", BooleanEquals: false, Next: "Rejected" },
        ],
        Default: "Undecided",
      },
      Approved: { Type: "Succeed" },
      Rejected: { Type: "Succeed" },
      Undecided: { Type: "Fail" },
    });
    const routes = await routesAfter(doc, ["Ask"]);
    if (routes.kind !== "choice") throw new Error(routes.reason);
    expect(summary(routes.branches)).toEqual([
      'Fast → {"kind":"urgent"}',
      'Approved → {"kind":"other","ok":true}',
      'Rejected → {"kind":"other","ok":false}',
      expect.stringMatching(/^Undecided ✗/),
    ]);
    expect(routes.branches.map((b) => b.through)).toEqual([[], ...Array(3).fill([{ choice: "Decide", rule: "Default" }])]);
    // A Choice that reshapes its output is not looked through: its branch stays a way to the next Choice.
    doc.States!.Decide = { ...doc.States!.Decide!, OutputPath: "$.r" };
    const reshaped = await routesAfter(doc, ["Ask"]);
    expect(reshaped.kind === "choice" && summary(reshaped.branches)).toEqual(['Fast → {"kind":"urgent"}', 'Second → {"kind":"other"}']);
  });

  it("says when nothing routes on the answer, as distinct from a branch it cannot solve", async () => {
    const doc = workflow([x({ StringEquals: "a" })]);
    doc.States!.Ask!.Next = "Wait";
    Object.assign(doc.States!, { Wait: { Type: "Wait", Seconds: 1, Next: "Decide" } });
    expect(await routesAfter(doc, ["Ask"])).toMatchObject({ kind: "no-choice", reason: expect.stringContaining('the Wait state "Wait"') });
    const ends = workflow([]);
    ends.States!.Ask = { ...ends.States!.Ask!, Next: undefined, End: true } as never;
    expect(await routesAfter(ends, ["Ask"])).toMatchObject({ kind: "no-choice", reason: expect.stringContaining("ends its workflow") });
  });
});
