import { describe, expect, it } from "vitest";
import { approveRejectMapping } from "../../src/core/workflow/approve-reject.js";
import { findCallbackTasks } from "../../src/core/workflow/callbacks.js";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import { decisionPayload } from "../../src/core/workflow/email.js";
import { routesAfter } from "../../src/core/workflow/routes.js";
import { templateDefinition } from "./fixtures.js";

const callback = (fields: Record<string, unknown> = {}) => ({
  Type: "Task",
  Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  End: true,
  ...fields,
});

describe("findCallbackTasks", () => {
  it("finds tasks at any depth, with the query language in force and numeric timeouts only", () => {
    const definition = {
      QueryLanguage: "JSONata",
      StartAt: "Top",
      States: {
        Top: callback({ TimeoutSeconds: 60, HeartbeatSeconds: 10, Next: "Fan", End: undefined }),
        Plain: { Type: "Task", Resource: "arn:aws:states:::sqs:sendMessage", End: true },
        Fan: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "A", States: { A: callback({ QueryLanguage: "JSONPath", TimeoutSecondsPath: "$.t" }) } },
            {
              StartAt: "Each",
              States: {
                Each: { Type: "Map", End: true, ItemProcessor: { StartAt: "B", States: { B: callback({ TimeoutSeconds: "{% $t %}" }) } } },
                Old: { Type: "Map", End: true, Iterator: { StartAt: "C", States: { C: callback() } } },
              },
            },
          ],
        },
      },
    };
    expect(findCallbackTasks(definition).map((t) => [t.path, t.queryLanguage, t.timeoutSeconds, t.heartbeatSeconds])).toEqual([
      [["Top"], "JSONata", 60, 10],
      [["Fan", 0, "A"], "JSONPath", undefined, undefined],
      [["Fan", 1, "Each", "B"], "JSONata", undefined, undefined],
      [["Fan", 1, "Old", "C"], "JSONata", undefined, undefined],
    ]);
  });

  it("reads state names like __proto__ and constructor as names, and finds nothing in a definition without states", () => {
    const text =
      '{"StartAt":"__proto__","States":{"__proto__":{"Type":"Task","Resource":"x.waitForTaskToken","Next":"constructor"},"constructor":{"Type":"Succeed"}}}';
    expect(findCallbackTasks(text).map((t) => t.path)).toEqual([["__proto__"]]);
    expect(findCallbackTasks({ StartAt: "A" })).toEqual([]);
    expect(() => findCallbackTasks("[]")).toThrow(/JSON object/);
  });
});

describe("routesAfter: finding the task", () => {
  it("refuses a path that names no state, even one Object.prototype has", async () => {
    const definition = { StartAt: "A", States: { A: callback() } };
    await expect(routesAfter(definition, ["toString"])).rejects.toThrow(/No state/);
    await expect(routesAfter(definition, ["A", 0, "B"])).rejects.toThrow(/No state/);
  });

  it("follows a task inside a Parallel branch to the Choice of that branch, and a Next to a missing state to no Choice", async () => {
    const choice = { Type: "Choice", Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Yes" }] };
    const definition = {
      StartAt: "P",
      States: {
        P: {
          Type: "Parallel",
          End: true,
          Branches: [
            { StartAt: "A", States: { A: callback({ End: undefined, Next: "hasOwnProperty" }) } },
            { StartAt: "B", States: { B: callback({ End: undefined, Next: "Decide" }), Decide: choice, Yes: { Type: "Succeed" } } },
          ],
        },
      },
    };
    expect(await routesAfter(definition, ["P", 1, "B"])).toMatchObject({
      kind: "choice",
      branches: [{ next: "Yes", output: { ok: true } }],
    });
    expect(await routesAfter(definition, ["P", 0, "A"])).toMatchObject({
      kind: "no-choice",
      reason: expect.stringContaining("leads to no Choice"),
    });
  });
});

describe("this project's template", () => {
  it.each(["ops@example.com", "first.last+tag@sub.example.org", "no-reply@deny.example"])(
    "comes out with exactly today's payloads for %s",
    async (email) => {
      const definition = templateDefinition(email);
      const [task] = findCallbackTasks(definition);
      const routes = await routesAfter(definition, task!.path);
      const mapping = approveRejectMapping(routes);
      if (!mapping.approve) throw new Error(mapping.reason);
      const workflow = parseWorkflow(definition);
      expect(JSON.stringify(mapping.approve.output)).toBe(`{"Status":"Approved! Task approved by ${email}"}`);
      expect(JSON.stringify(mapping.reject.output)).toBe(`{"Status":"Rejected! Task rejected by ${email}"}`);
      expect([JSON.stringify(mapping.approve.output), JSON.stringify(mapping.reject.output)]).toEqual([
        decisionPayload(workflow, "approve"),
        decisionPayload(workflow, "reject"),
      ]);
      expect(mapping.by).toBe("template");
    },
  );
});
