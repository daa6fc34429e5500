#!/usr/bin/env node
// On Node < 22 the AWS SDK prints a multi-line NodeVersionSupportWarning on every run. It tells SDK
// integrators that SDK releases from 2027 on need Node 22; a user cannot act on it inside a command,
// and `engines` and README already say that Node 22 and 24 are supported and Node 20 (end of life)
// still works. So it stays off the terminal, unless the user has set the variable: with
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false the warning is back. Node 22 and 24 print none.
if (Number(process.versions.node.split(".")[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-v")) {
  // Answered from package.json without loading the CLI, so it starts as fast as Node itself.
  const { readFileSync } = await import("node:fs");
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  // dist/ holds the CLI as CommonJS chunks; the loader keeps their compiled code between runs
  // (in ~/.cache/approvals-compile, private to the user) so that later runs skip compiling them.
  const { compileCacheDir, loadChunks } = await import("../dist/load.js");
  const { fileURLToPath } = await import("node:url");
  const entry = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
  const cli = loadChunks(entry, compileCacheDir(process.env, process.argv));
  process.once("exit", cli.save);
  process.exitCode = await cli.exports.main(process.argv);
}
