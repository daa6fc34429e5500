#!/usr/bin/env node
// Node 20 is end-of-life; the AWS SDK still runs on it but warns on every start. The tool
// works there, so keep the terminal clean (README lists the supported versions).
if (Number(process.versions.node.split(".")[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
const { main } = await import("../dist/cli.js");
process.exitCode = await main(process.argv);
