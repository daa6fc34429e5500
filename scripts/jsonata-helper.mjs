// Evaluates JSONata for the emulator (scripts/moto_jsonata.py), whose Step Functions interpreter has
// no JSONata engine of its own. One request per line on stdin, one answer per line on stdout, in order:
//   {"id": 1, "expr": "$states.input.approved", "bindings": {"states": {...}, "name": ...}}
//   -> {"id": 1, "value": true} | {"id": 1, "undefined": true} | {"id": 1, "unsupported": "function"}
//      | {"id": 1, "error": "..."}
// The process lives as long as its stdin: it ends when the launcher closes the pipe or exits.
import { createHash, randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import jsonata from "jsonata";

// An evaluation keeps this thread busy (JSONata's steps are promises, so no timer or pipe event runs
// in between): a thread of its own ends the process once the launcher (its pid is the argument) is
// gone, seen as a new parent process. Killed, the launcher could not stop us.
const launcher = Number(process.argv[2]) || process.ppid;
new Worker(
  `const { workerData: launcher } = require("node:worker_threads");
  setInterval(() => { if (process.ppid !== launcher) process.kill(process.pid, "SIGKILL"); }, 500);`,
  { eval: true, workerData: launcher },
).unref();

const fail = (message) => new Error(message);

const HASHES = { MD5: "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512" };

/**
 * The functions Step Functions adds to JSONata ("JSONata functions provided by Step Functions" in
 * the Step Functions developer guide). `$eval` is not available there; `$parse` takes its place.
 */
const STEP_FUNCTIONS_FUNCTIONS = {
  partition(array, size) {
    if (!Array.isArray(array) || !Number.isInteger(size) || size < 1) throw fail("$partition expects an array and a positive integer");
    const chunks = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },
  range(first, last, step) {
    if (![first, last, step].every(Number.isFinite) || step === 0) throw fail("$range expects three numbers and a step other than 0");
    const values = [];
    for (let v = first; step > 0 ? v <= last : v >= last; v += step) {
      values.push(v);
    }
    return values;
  },
  hash(data, algorithm) {
    const name = HASHES[algorithm];
    if (typeof data !== "string" || !name) throw fail(`$hash expects a string and one of ${Object.keys(HASHES).join(", ")}`);
    return createHash(name).update(data).digest("hex");
  },
  random(seed) {
    if (seed === undefined) return Math.random();
    // A seeded generator (mulberry32): the same seed gives the same number, as on AWS.
    let t = (Number(seed) + 0x6d2b79f5) | 0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  },
  uuid: () => randomUUID(),
  parse(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw fail(`$parse: ${error.message}`);
    }
  },
  eval() {
    throw fail("$eval is not supported in Step Functions: use $parse");
  },
};

/** Evaluate one request into its answer line (without the id). */
async function evaluate({ expr, bindings }) {
  try {
    const value = await jsonata(expr).evaluate(undefined, { ...STEP_FUNCTIONS_FUNCTIONS, ...bindings });
    if (value === undefined) return { undefined: true };
    // A JSONata function (lambda or built-in) is no JSON value.
    if (typeof value === "function" || value?._jsonata_lambda || value?._jsonata_function) return { unsupported: "function" };
    return { value };
  } catch (error) {
    const where = typeof error?.position === "number" ? ` (at position ${error.position})` : "";
    return { error: `${error?.message ?? String(error)}${where}` };
  }
}

let queue = Promise.resolve();
const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
lines.on("line", (line) => {
  queue = queue.then(async () => {
    let request;
    try {
      request = JSON.parse(line);
    } catch {
      process.stdout.write(`${JSON.stringify({ id: null, error: "the request is not JSON" })}\n`);
      return;
    }
    const answer = await evaluate(request);
    let text;
    try {
      text = JSON.stringify({ id: request.id, ...answer });
    } catch (error) {
      text = JSON.stringify({ id: request.id, error: `the result is not JSON: ${error.message}` });
    }
    process.stdout.write(`${text}\n`);
  });
});
lines.on("close", () => queue.then(() => process.exit(0)));
