// The layers of src/ read one way, and no module imports itself through others.
//   cli → commands → output, completion → core (and context) → aws → lib (with errors, settings)
// A module may import its own layer or any layer below it, never one above; type-only imports count
// too (a type is a dependency). Prints each upward import and each cycle; exits 1 when there is one.
// `npm test` runs it; `node scripts/check-layers.mjs` runs it alone.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Lower numbers are lower layers. The first matching prefix names a module's layer. */
const LAYERS = [
  ["lib/", 0],
  ["errors.ts", 0],
  ["settings.ts", 0],
  ["version.ts", 0],
  ["aws/", 1],
  ["core/", 2],
  ["context.ts", 2],
  ["output/", 3],
  ["completion/", 3],
  ["common-options.ts", 4],
  ["commands/", 4],
  ["cli.ts", 5],
  ["load.ts", 5],
];

/** @param {string} module a path relative to src/ */
export function layerOf(module) {
  const found = LAYERS.find(([prefix]) => module === prefix || module.startsWith(prefix));
  if (!found) throw new Error(`src/${module} is in no layer: add it to LAYERS in scripts/check-layers.mjs`);
  return /** @type {number} */ (found[1]);
}

/** @param {string} dir @returns {string[]} */
function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/**
 * The relative imports of one source: static, re-exports and dynamic `import()`.
 * @param {string} text
 * @returns {string[]}
 */
export function importsOf(text) {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm),
    ...text.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
    ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => m[1] ?? "");
  return specifiers.filter((s) => s.startsWith("."));
}

/** @returns {Map<string, string[]>} each module (relative to src/) and the modules it imports */
export function importGraph(root = SRC) {
  const graph = new Map();
  for (const file of sources(root)) {
    const from = relative(root, file);
    const targets = importsOf(readFileSync(file, "utf8")).map((s) => relative(root, resolve(dirname(file), s)).replace(/\.js$/, ".ts"));
    graph.set(from, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components of more than one module (or a module importing itself): Tarjan's. */
export function cycles(graph) {
  let index = 0;
  const stack = [];
  const onStack = new Set();
  const indices = new Map();
  const low = new Map();
  const found = [];
  const visit = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), indices.get(w)));
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return found;
}

/** Imports from a lower layer to a higher one. */
export function upwardImports(graph) {
  const found = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (layerOf(to) > layerOf(from)) found.push(`${from} → ${to}`);
  }
  return found;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const graph = importGraph();
  const up = upwardImports(graph);
  const loops = cycles(graph);
  for (const line of up) process.stderr.write(`upward import: src/${line}\n`);
  for (const loop of loops) process.stderr.write(`import cycle: ${loop.map((m) => `src/${m}`).join(" ↔ ")}\n`);
  if (up.length || loops.length) process.exit(1);
  process.stdout.write(`layers: ${graph.size} modules, no upward import, no cycle\n`);
}
