import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

export default defineConfig({
  entry: { cli: "src/cli.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  // Commands are loaded with `await import()`, so each becomes its own chunk and
  // `approvals --help` reads only the small entry file.
  splitting: true,
  // Not cleaned on every build: a test run may be executing the previous bundle.
  clean: false,
  sourcemap: false,
  // Dependencies stay in node_modules: the SDK is large and loads per command.
  skipNodeModulesBundle: true,
  define: { __APPROVALS_VERSION__: JSON.stringify(version) },
});
