import { readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { transformSync } from "esbuild";
import { defineConfig, type Options } from "tsup";
import { writeThirdPartyLicenses } from "./scripts/third-party-licenses.mjs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

export default defineConfig([
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    // Commands are loaded on first use (`await import()`), so each becomes its own chunk and
    // `approvals --help` reads only the small entry file.
    splitting: true,
    // Not cleaned on every build: a test run may be executing the previous bundle.
    clean: false,
    sourcemap: false,
    // Every library (the AWS SDK, commander, chalk, ora, the prompts; all devDependencies) is bundled
    // into the chunks of the commands that use it: finding and reading the SDK's few hundred small
    // modules cost more than compiling them, so a warm `pending` starts about 0.15 s sooner (see
    // README, Performance). The package therefore has no runtime dependencies.
    noExternal: [/.*/],
    removeNodeProtocol: false,
    esbuildPlugins: [requireBuiltins(), onlyUsedPrompts()],
    // The metafile maps each chunk to the modules in it: the start-up tests read it, and the
    // third-party licence file is written from it.
    metafile: true,
    async onSuccess() {
      const metafile = "dist/metafile-esm.json";
      toCommonJs(Object.keys(JSON.parse(readFileSync(metafile, "utf8")).outputs).filter((file) => file.endsWith(".js")));
      writeThirdPartyLicenses(metafile, "dist/THIRD-PARTY-LICENSES.txt");
    },
    define: { __APPROVALS_VERSION__: JSON.stringify(version) },
  },
  {
    // The loader that runs the chunks above (bin/approvals.js imports it): Node's built-ins only.
    entry: { load: "src/load.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    clean: false,
    sourcemap: false,
  },
]);

/**
 * Rewrite each chunk esbuild wrote (ES modules, split per command) as CommonJS that src/load.ts
 * runs: `import` between chunks becomes `require`, `import()` a deferred `require`, and
 * `import.meta.url` the chunk's URL, which the loader passes in. V8 can keep the compiled code of a
 * script but, before Node 22, not of an ES module; see src/load.ts.
 */
function toCommonJs(files: string[]): void {
  for (const file of files) {
    const result = transformSync(readFileSync(file, "utf8"), {
      format: "cjs",
      platform: "node",
      target: "node20",
      supported: { "dynamic-import": false },
      define: { "import.meta.url": "__importMetaUrl" },
      sourcefile: file,
    });
    if (result.warnings.length > 0) throw new Error(`${file}: ${result.warnings.map((w) => w.text).join("; ")}`);
    writeFileSync(file, result.code);
  }
}

/**
 * Load Node's built-in modules with `require`, not `import`. Importing a built-in as ESM builds a
 * facade that reads every export, and on Node 22 and later reading `http`'s exports loads the whole
 * bundled fetch client (undici): 70 ms of a 300 ms warm `pending` on Node 24, against 6 ms for
 * `require`. `http2`, which the SDK's HTTP handler imports but this tool never uses, is only loaded
 * if something calls it.
 */
function requireBuiltins(): NonNullable<Options["esbuildPlugins"]>[number] {
  const names = builtinModules.filter((name) => !name.startsWith("_"));
  const filter = new RegExp(`^(node:)?(${names.map((name) => name.replace(/[/]/g, "\\/")).join("|")})$`);
  return {
    name: "require-builtins",
    setup(build) {
      build.onResolve({ filter }, (args) =>
        args.namespace === "builtin"
          ? { path: args.path, external: true }
          : { path: args.path.replace(/^node:/, ""), namespace: "builtin" },
      );
      build.onLoad({ filter: /.*/, namespace: "builtin" }, ({ path }) => ({
        contents:
          path === "http2"
            ? `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require("node:http2"))[key] });`
            : `module.exports = require("node:${path}");`,
        loader: "js",
      }));
    },
  };
}

/**
 * `@inquirer/prompts` re-exports every prompt type, and without a `sideEffects` field esbuild keeps
 * them all (the editor prompt brings an encoding library). Only `confirm`, `checkbox` and `input`
 * are used (through src/output/prompts.ts): the @inquirer packages do nothing when loaded but define
 * their prompts, so they are marked free of side effects and the unused prompts are left out.
 */
function onlyUsedPrompts(): NonNullable<Options["esbuildPlugins"]>[number] {
  return {
    name: "only-used-prompts",
    setup(build) {
      build.onResolve({ filter: /^@inquirer\/[^/]+$/ }, async (args) => {
        if (args.pluginData === "resolving") return undefined;
        const { path, errors } = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: "resolving",
        });
        return errors.length ? { errors } : { path, sideEffects: false };
      });
    },
  };
}
