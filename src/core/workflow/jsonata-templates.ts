import type { Flow } from "./answer-flow.js";
import { EXPRESSION, type JsonataScope, literal, locationFlow, type Node, parseJsonata } from "./jsonata-rules.js";

/**
 * The flow of a JSONata field value (`Output`, an `Assign` entry): a `{% %}` string that is a plain
 * path or an object of such paths, an object or a constant. Anything else is unknown, with why.
 */
export function jsonataTemplate(template: unknown, scope: JsonataScope): Flow {
  if (typeof template === "string") {
    if (!EXPRESSION.test(template.trim())) return { kind: "const", value: template };
    const parsed = parseJsonata(template);
    return "reason" in parsed ? { kind: "unknown", reason: `${template} ${parsed.reason}` } : expressionFlow(parsed.ast, scope, template);
  }
  if (template === null || typeof template !== "object") return { kind: "const", value: template };
  if (Array.isArray(template)) {
    const parts = template.map((t) => jsonataTemplate(t, scope));
    return parts.every((p) => p.kind === "const") ? { kind: "const", value: template } : { kind: "unknown", reason: "builds an array" };
  }
  return { kind: "object", fields: new Map(Object.entries(template).map(([k, v]) => [k, jsonataTemplate(v, scope)])) };
}

function expressionFlow(node: Node, scope: JsonataScope, text: string): Flow {
  const flow = locationFlow(node, scope);
  if (flow) return flow;
  const value = literal(node);
  if (value) return { kind: "const", value: value.value };
  if (node.type === "unary" && node.value === "{" && Array.isArray(node.lhs)) {
    const fields = new Map<string, Flow>();
    for (const [key, valueNode] of node.lhs) {
      if (key.type !== "string" || typeof key.value !== "string") return { kind: "unknown", reason: `computes a key in ${text}` };
      fields.set(key.value, expressionFlow(valueNode, scope, text));
    }
    return { kind: "object", fields };
  }
  return { kind: "unknown", reason: `computes ${text.trim()}, which is not a plain path` };
}
