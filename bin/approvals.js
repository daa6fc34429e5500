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
  // Node 22.1+ can keep the compiled code of the bundle and the SDK between runs, which spares most
  // of a warm run's start-up; Node 20 has no such API. The cache goes in a private folder of its own
  // (0700) beside the tool's data cache: compiled code is not something to share with other users
  // through the temp dir. `--no-cache` promises no file at all, so it turns this off too.
  const { enableCompileCache } = await import("node:module");
  if (typeof enableCompileCache === "function" && !process.argv.includes("--no-cache")) {
    const [{ homedir }, { mkdirSync }] = await Promise.all([import("node:os"), import("node:fs")]);
    const base = process.env.XDG_CACHE_HOME?.startsWith("/") ? process.env.XDG_CACHE_HOME : `${process.env.HOME || homedir()}/.cache`;
    try {
      mkdirSync(`${base}/approvals-compile`, { recursive: true, mode: 0o700 });
      enableCompileCache(`${base}/approvals-compile`);
    } catch {}
  }
  const { main } = await import("../dist/cli.js");
  process.exitCode = await main(process.argv);
}
