import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cycles, importGraph, importsOf, layerOf, upwardImports } from "../../scripts/check-layers.mjs";

// The layer check `npm test` runs: it must see every kind of import and report what breaks the rule.
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "layers-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe("check-layers", () => {
  it("reads static, type-only, multi-line, re-exported, side-effect and dynamic imports, not packages", () => {
    const text = [
      'import { a } from "./a.js";',
      'import type { B } from "../b.js";',
      "import {\n  c,\n  d,\n} from './c.js';",
      'export * from "./e.js";',
      'import "./f.js";',
      'const g = await import("./g.js");',
      'import { h } from "node:fs";',
      'import chalk from "chalk";',
    ].join("\n");
    expect(importsOf(text)).toEqual(["./a.js", "../b.js", "./c.js", "./e.js", "./f.js", "./g.js"]);
  });

  it("reports an import from a lower layer to a higher one, type-only included", () => {
    const graph = importGraph(
      tree({
        "lib/text.ts": 'import type { Out } from "../output/output.js";\n',
        "core/use.ts": 'import { x } from "../aws/sfn.js";\nimport { t } from "../lib/text.js";\n',
        "aws/sfn.ts": 'const c = await import("../completion/cache.js");\n',
        "output/output.ts": "export type Out = string;\n",
        "completion/cache.ts": "export const c = 1;\n",
      }),
    );
    expect(upwardImports(graph).sort()).toEqual(["aws/sfn.ts → completion/cache.ts", "lib/text.ts → output/output.ts"]);
  });

  it("reports a cycle within one layer and a module importing itself, and nothing on a clean tree", () => {
    const looped = importGraph(
      tree({
        "commands/pending.ts": 'import { p } from "./pending-all.js";\n',
        "commands/pending-all.ts": 'import { q } from "./pending.js";\n',
        "core/self.ts": 'import { s } from "./self.js";\n',
        "core/alone.ts": 'import { s } from "./self.js";\n',
      }),
    );
    expect(cycles(looped).sort()).toEqual([["commands/pending-all.ts", "commands/pending.ts"], ["core/self.ts"]]);

    const clean = importGraph(
      tree({ "cli.ts": 'import "./commands/a.js";\n', "commands/a.ts": 'import "../lib/b.js";\n', "lib/b.ts": "" }),
    );
    expect([upwardImports(clean), cycles(clean)]).toEqual([[], []]);
  });

  it("refuses a module in no layer rather than passing it", () => {
    expect(() => layerOf("stray/thing.ts")).toThrow(/in no layer/);
    expect(layerOf("errors.ts")).toBeLessThan(layerOf("aws/sfn.ts"));
  });

  it("finds the real source tree clean", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect([upwardImports(graph), cycles(graph)]).toEqual([[], []]);
  });
});
