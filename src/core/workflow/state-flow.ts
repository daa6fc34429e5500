import { ANSWER, type Flow, jsonPathTemplate, parseReferencePath, placeAt, readReference, TASK_INPUT } from "./answer-flow.js";
import type { QueryLanguage } from "./callbacks.js";
import type { AslState } from "./definition.js";
import { jsonataTemplate } from "./jsonata-templates.js";

/** A state's output and the workflow variables after it, as flows from the answer. */
export interface Stage {
  data: Flow;
  variables: ReadonlyMap<string, Flow>;
}

/** JSONPath's ResultPath: where the result goes in the raw input (`null`: dropped; absent: `$`, the result itself). */
function withResult(state: AslState, raw: Flow, result: Flow): Flow {
  if (!("ResultPath" in state) || state.ResultPath === "$") return result;
  if (state.ResultPath === null) return raw;
  const ref = typeof state.ResultPath === "string" ? parseReferencePath(state.ResultPath) : undefined;
  if (ref?.root.kind !== "data")
    return { kind: "unknown", reason: `places the result at ${String(state.ResultPath)}, which is not followed` };
  return placeAt(raw, ref.path, result);
}

/** JSONPath's InputPath or OutputPath: a part of the data (`null`: an empty object). */
function pathFilter(value: unknown, data: Flow, variables: ReadonlyMap<string, Flow>): Flow {
  if (value === undefined || value === "$") return data;
  if (value === null) return { kind: "const", value: {} };
  return readReference(String(value), data, variables);
}

/**
 * Variables a state assigns. JSONata `Assign` values are followed like `Output`; a JSONPath `Assign`
 * is not followed, so what it sets is marked as not known.
 */
function assigned(state: AslState, language: QueryLanguage, scope: { input: Flow; result?: Flow; variables: ReadonlyMap<string, Flow> }) {
  const variables = new Map(scope.variables);
  if (state.Assign === null || typeof state.Assign !== "object") return variables;
  for (const [name, value] of Object.entries(state.Assign as Record<string, unknown>)) {
    const variable = name.endsWith(".$") ? name.slice(0, -2) : name;
    variables.set(
      variable,
      language === "JSONata" ? jsonataTemplate(value, scope) : { kind: "unknown", reason: `reads $${variable}, set by a JSONPath Assign` },
    );
  }
  return variables;
}

/** The output of the callback task and the variables after it: everything the answer can reach. */
export function afterTask(state: AslState, language: QueryLanguage): Stage {
  const variables = new Map<string, Flow>();
  if (language === "JSONata") {
    const scope = { input: TASK_INPUT, result: ANSWER, variables };
    const data = "Output" in state ? jsonataTemplate(state.Output, scope) : ANSWER;
    return { data, variables: assigned(state, language, scope) };
  }
  const result = "ResultSelector" in state ? jsonPathTemplate(state.ResultSelector, ANSWER, variables) : ANSWER;
  const data = pathFilter(state.OutputPath, withResult(state, TASK_INPUT, result), variables);
  return { data, variables: assigned(state, language, { input: TASK_INPUT, result, variables }) };
}

/** The output of a Pass state between the task and the Choice, and the variables after it. */
export function afterPass(state: AslState, language: QueryLanguage, stage: Stage): Stage {
  const { data: raw, variables } = stage;
  if (language === "JSONata") {
    const scope = { input: raw, variables };
    const data = "Output" in state ? jsonataTemplate(state.Output, scope) : raw;
    return { data, variables: assigned(state, language, scope) };
  }
  const effective = pathFilter(state.InputPath, raw, variables);
  const result =
    "Result" in state
      ? ({ kind: "const", value: state.Result } as Flow)
      : "Parameters" in state
        ? jsonPathTemplate(state.Parameters, effective, variables)
        : effective;
  const data = pathFilter(state.OutputPath, withResult(state, raw, result), variables);
  return { data, variables: assigned(state, language, { input: raw, result, variables }) };
}

/** The data a Choice state's rules read: its input, through its InputPath in JSONPath. */
export function choiceInput(state: AslState, language: QueryLanguage, stage: Stage): Flow {
  return language === "JSONPath" ? pathFilter(state.InputPath, stage.data, stage.variables) : stage.data;
}
