// Runs before `npm test`, `npm run demo`, `npm run sandbox` and `npm run bench`: on a fresh clone,
// install the locked dependencies first, so README's commands work as the first thing typed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!existsSync(join(root, "node_modules", ".package-lock.json"))) {
  process.stderr.write("Installing dependencies (npm ci)…\n");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const run = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  process.exit(run.status ?? 1);
}
