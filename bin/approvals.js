#!/usr/bin/env node
// On Node < 22 the AWS SDK prints a multi-line NodeVersionSupportWarning on every run. It tells SDK
// integrators that SDK releases from 2027 on need Node 22; a user cannot act on it inside a command,
// and `engines` and README already say that Node 22 and 24 are supported and Node 20 (end of life)
// still works. So it stays off the terminal, unless the user has set the variable: with
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false the warning is back. Node 22 and 24 print none.
if (Number(process.versions.node.split(".")[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
const { readFileSync } = await import("node:fs");
if (process.argv.length === 3 && (process.argv[2] === "--version" || process.argv[2] === "-v")) {
  // Answered from package.json without loading the CLI, so it starts as fast as Node itself.
  process.stdout.write(`${JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version}\n`);
} else {
  // dist/ holds the CLI as CommonJS chunks; the loader keeps their compiled code between runs
  // (in ~/.cache/approvals-compile, private to the user) so that later runs skip compiling them.
  const { compileCacheDir, loadChunks } = await import("../dist/load.js");
  const { fileURLToPath } = await import("node:url");
  const entry = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
  const cli = loadChunks(entry, compileCacheDir(process.env, process.argv));
  process.once("exit", cli.save);
  process.exitCode = await cli.exports.main(process.argv, undefined, undefined, undefined, rawArguments(process.argv.length - 2));
}

/**
 * The last `count` arguments as the kernel holds them, before Node decoded them as UTF-8 (which turns
 * a byte that begins no character into U+FFFD): on Linux, from /proc/self/cmdline (NUL-separated, Node's
 * own options first). Undefined elsewhere: the CLI then refuses U+FFFD in an argument instead.
 */
function rawArguments(count) {
  try {
    const bytes = readFileSync("/proc/self/cmdline");
    const args = [];
    let start = 0;
    for (let end = bytes.indexOf(0); end !== -1; start = end + 1, end = bytes.indexOf(0, start)) args.push(bytes.subarray(start, end));
    return args.length >= count ? args.slice(args.length - count) : undefined;
  } catch {
    return undefined;
  }
}
