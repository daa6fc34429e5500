// Definitions written to break the route analysis: prototype keys, odd numbers, patterns that look like
// regular expressions, rules nested or combined past reason, cycles and malformed rules.
import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { branches, summary, workflow } from "./workflow-builders.js";

const solved = (list: Awaited<ReturnType<typeof branches>>, i = 0) => {
  const branch = list[i];
  if (!branch?.solvable) throw new Error(`not solved: ${branch && !branch.solvable ? branch.reason : "no branch"}`);
  return branch.output;
};

describe("prototype keys", () => {
  it("builds answers with __proto__ and constructor as plain fields, polluting nothing", async () => {
    const list = await branches([
      { Variable: "$.__proto__.polluted", BooleanEquals: true, Next: "Proto" },
      { Variable: "$['constructor'].name", StringEquals: "x", Next: "Ctor" },
    ]);
    expect(JSON.stringify(solved(list, 0))).toBe('{"__proto__":{"polluted":true}}');
    expect(JSON.stringify(solved(list, 1))).toBe('{"constructor":{"name":"x"},"__proto__":{"polluted":false}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(solved(list, 0))).toBe(Object.prototype);
  });

  it("reads a JSONata field named __proto__ as jsonata does", async () => {
    const list = await branches([{ Condition: "{% $states.input.__proto__ = 'x' %}", Next: "Proto" }], { language: "JSONata" });
    const output = solved(list);
    expect(JSON.stringify(output)).toBe('{"__proto__":"x"}');
    expect(await jsonata("$states.input.__proto__ = 'x'").evaluate({}, { states: { input: JSON.parse(JSON.stringify(output)) } })).toBe(
      true,
    );
  });
});

describe("numbers and strings", () => {
  it("keeps negative zero, subnormal and fractional numbers exact through JSON", async () => {
    const list = await branches([
      { Variable: "$.a", NumericEquals: -0, Next: "Zero" },
      { Variable: "$.b", NumericEquals: 5e-324, Next: "Tiny" },
      { Variable: "$.c", NumericLessThan: 0.3, Next: "Fraction" },
    ]);
    for (const [i, key] of ["a", "b", "c"].entries()) {
      const output = solved(list, i);
      // What the engine parses compares as the value the check evaluated (-0 === 0 in JSON as in JavaScript).
      expect(JSON.parse(JSON.stringify(output))[key] === output[key]).toBe(true);
    }
  });

  it("takes StringMatches patterns with regular-expression syntax and many stars literally, and quickly", async () => {
    const stars = `${"*a".repeat(2000)}*`;
    const started = Date.now();
    const list = await branches([
      { Variable: "$.s", StringMatches: "(.*)+$", Next: "Regex" },
      { Variable: "$.t", StringMatches: stars, Next: "Stars" },
    ]);
    expect(solved(list, 0)).toEqual({ s: "(.)+$" });
    expect(solved(list, 1)).toMatchObject({ t: "a".repeat(2000) });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("answers with a very long string intact", async () => {
    const long = "é\u0000\u001b[31m".repeat(20_000);
    expect(solved(await branches([{ Variable: "$.s", StringEquals: long, Next: "Long" }]))).toEqual({ s: long });
  });
});

describe("rules nested and combined past reason", () => {
  it("refuses rules nested deeper than 64 levels without overflowing the stack", async () => {
    let rule: Record<string, unknown> = { Variable: "$.x", BooleanEquals: true };
    for (let i = 0; i < 5000; i++) rule = { Not: rule };
    const [deep] = await branches([{ ...rule, Next: "Deep" }]);
    expect(deep).toMatchObject({ solvable: false, reason: expect.stringContaining("deeper than 64") });
    let condition = "$states.input.ok";
    for (let i = 0; i < 100; i++) condition = `$not(${condition})`;
    const [jsonataDeep] = await branches([{ Condition: `{% ${condition} %}`, Next: "Deep" }], { language: "JSONata" });
    expect(jsonataDeep).toMatchObject({ solvable: false, reason: expect.stringContaining("deeper than 64") });
  });

  it("takes a long chain of or as one list, not as nesting", async () => {
    const chain = Array.from({ length: 300 }, (_, i) => `$states.input.x = ${i}`).join(" or ");
    const [branch] = await branches([{ Condition: `{% ${chain} %}`, Next: "Any" }], { language: "JSONata" });
    expect(branch).toMatchObject({ solvable: true });
  });

  it("solves an even number of Not within the limit", async () => {
    let rule: Record<string, unknown> = { Variable: "$.x", BooleanEquals: true };
    for (let i = 0; i < 40; i++) rule = { Not: rule };
    expect(solved(await branches([{ ...rule, Next: "Even" }]))).toEqual({ x: true });
  });

  it("solves an And of thousands of tests", async () => {
    const And = Array.from({ length: 5000 }, (_, i) => ({ Variable: `$.x${i}`, BooleanEquals: true }));
    const list = await branches([{ And, Next: "Wide" }], { choice: { Default: "Else" } });
    expect(Object.values(solved(list, 0)).every((v) => v === true)).toBe(true);
    expect(Object.keys(solved(list, 0))).toHaveLength(5000);
    expect(Object.values(solved(list, 1)).filter((v) => v === false)).toHaveLength(1);
  });

  it("gives up, saying so, when the combinations explode", async () => {
    const ors = Array.from({ length: 14 }, (_, i) => ({
      Or: [
        { Variable: `$.x${i}`, StringEquals: "a" },
        { Variable: `$.x${i}`, StringEquals: "b" },
      ],
    }));
    const impossible = [
      { Variable: "$.z", IsPresent: false },
      { Variable: "$.z", StringEquals: "q" },
    ];
    const started = Date.now();
    const [branch] = await branches([{ And: [...ors, ...impossible], Next: "Never" }]);
    expect(branch).toMatchObject({ solvable: false, reason: expect.stringContaining("too many combinations") });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("parts it does not understand", () => {
  it("relies on no rule with such a part, even where another part seems to decide it", async () => {
    const [jsonataOr] = await branches([{ Condition: "{% $states.input.a = 1 or $sum([1..5000000]) > 0 %}", Next: "Either" }], {
      language: "JSONata",
    });
    expect(jsonataOr).toMatchObject({ solvable: false, reason: expect.stringContaining("$sum") });
    const [jsonPathOr] = await branches([
      {
        Or: [
          { Variable: "$.a", NumericEquals: 1 },
          { Variable: "$$.Execution.Name", StringEquals: "x" },
        ],
        Next: "Either",
      },
    ]);
    expect(jsonPathOr).toMatchObject({ solvable: false, reason: expect.stringContaining("context") });
  });
});

describe("malformed definitions", () => {
  it("refuses rules that are not objects, keeping their place in the order", async () => {
    const list = await branches([null as never, { Variable: "$.x", StringEquals: "a", Next: "A" }, { And: [null], Next: "B" }]);
    expect(summary(list)).toEqual([
      expect.stringMatching(/^A ✗ in "Decide", rule 1 has a rule that is not an object/),
      expect.stringMatching(/^B ✗/),
    ]);
  });

  it("stops at a cycle of Pass states", async () => {
    const doc = workflow([], { between: [{}, {}] });
    doc.States!.Step2 = { ...doc.States!.Step2!, Next: "Step1" };
    expect(await routesAfter(doc, ["Ask"])).toMatchObject({ kind: "no-choice", reason: expect.stringContaining("leads to no Choice") });
  });
});
