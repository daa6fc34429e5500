// Run npm scripts side by side and report them in the order given, each with its own output:
// `npm test` builds, type-checks and lints at once (tsc is single-threaded; the others are short).
// Usage: node scripts/run-all.mjs <script> [script...]   Exit status: the first failure's, else 0.
import { spawn } from "node:child_process";

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error("usage: node scripts/run-all.mjs <npm script> [npm script...]");
  process.exit(2);
}
const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
      const output = [];
      child.stdout.on("data", (chunk) => output.push(chunk));
      child.stderr.on("data", (chunk) => output.push(chunk));
      child.on("error", (error) => resolve({ script, code: 1, output: [Buffer.from(`cannot run npm: ${error.message}\n`)] }));
      child.on("close", (code, signal) => resolve({ script, code: code ?? (signal ? 1 : 0), output }));
    }),
);
let status = 0;
for (const run of runs) {
  const { script, code, output } = await run;
  process.stderr.write(`> npm run ${script}${code ? ` (exit ${code})` : ""}\n`);
  process.stderr.write(Buffer.concat(output));
  if (code && !status) status = code;
}
process.exit(status);
