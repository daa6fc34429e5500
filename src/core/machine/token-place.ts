import type { AslState } from "../workflow/definition.js";

/** Where a task's own template puts the token: JSONPath's context path, or JSONata's context variable alone. */
const JSONPATH_TOKEN = /^\$\$\.Task\.Token$/;
const JSONATA_TOKEN = /^\{%\s*\$states\.context\.Task\.Token\s*%\}$/;

/**
 * The places (keys from the top of the parameters) where a callback task's Parameters or Arguments
 * put the task token as a whole value. A token built into a longer string (concatenated, or turned
 * into JSON text) has no place: the caller then looks for it by shape.
 */
export function tokenPlaces(state: AslState | undefined): string[][] {
  const places: string[][] = [];
  const walk = (node: unknown, path: string[], depth: number) => {
    if (depth > 32 || node === null || typeof node !== "object" || Array.isArray(node)) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key.endsWith(".$") && typeof value === "string" && JSONPATH_TOKEN.test(value)) places.push([...path, key.slice(0, -2)]);
      else if (typeof value === "string" && JSONATA_TOKEN.test(value)) places.push([...path, key]);
      else walk(value, [...path, key], depth + 1);
    }
  };
  walk(state?.Parameters, [], 0);
  walk(state?.Arguments, [], 0);
  return places;
}
