#!/usr/bin/env node
// On Node < 22 the AWS SDK prints a multi-line NodeVersionSupportWarning on every run. It tells SDK
// integrators that SDK releases from 2027 on need Node 22; a user cannot act on it inside a command,
// and `engines` and README already say that Node 22 and 24 are supported and Node 20 (end of life)
// still works. So it stays off the terminal, unless the user has set the variable: with
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=false the warning is back. Node 22 and 24 print none.
if (Number(process.versions.node.split(".")[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
const { main } = await import("../dist/cli.js");
process.exitCode = await main(process.argv);
