import { matchingString } from "./string-matches.js";
import { type Literal, MISSING, type Value } from "./value-tests.js";

/** Values worth trying for a place, from what the literals on it compare with. */
export function candidates(literals: Literal[]): Value[] {
  const out: Value[] = [MISSING];
  for (const { test } of literals) {
    if (test.op === "equals")
      out.push(test.value, typeof test.value === "number" ? test.value + 1 : typeof test.value === "boolean" ? !test.value : "other");
    else if (test.op === "matches") out.push(matchingString(test.pattern) ?? "other");
    else if (test.op === "true") out.push(true, false);
    else if ("value" in test && typeof test.value === "number")
      out.push(test.value, test.value - 1, test.value + 1, nextNumber(test.value, -1), nextNumber(test.value, 1));
    else if ("value" in test && typeof test.value === "string") out.push(test.value, `${test.value}a`, test.value.slice(0, -1), "");
  }
  for (const { test } of literals)
    if (test.op === "equals" && typeof test.value === "string") out.push(`${test.value}-other`, `other-${test.value}`);
  out.push("other", 0, true, false, null, "", "other-1");
  return out.filter((v) => typeof v !== "number" || Number.isFinite(v));
}

/** The neighbouring double, up or down: what `v + 1` cannot reach for large or tiny numbers. */
export function nextNumber(value: number, direction: 1 | -1): number {
  if (value === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, value > 0 === direction > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}
