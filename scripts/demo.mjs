// `npm run demo`: the main job on a local emulator. Starts moto, drives the built CLI through
// deploy → start → pending → approve → show, printing each command and its real output, then stops.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulatorEnv, startEmulator } from "./emulator.mjs";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "approvals.js");
const work = mkdtempSync(join(tmpdir(), "approvals-demo-"));
const input = join(work, "request.json");
writeFileSync(input, `${JSON.stringify({ Comment: "Testing the human approval tutorial." }, null, 2)}\n`);

let emulator;
try {
  process.stderr.write("Starting the local AWS emulator (moto)…\n");
  emulator = await startEmulator();
  process.stderr.write(`Emulator up at ${emulator.endpoint}\n`);
  const env = { ...process.env, ...emulatorEnv(emulator.endpoint), HOME: work, APPROVALS_POLL_MS: "250" };
  const steps = [
    ["deploy", "--email", "approver@example.com", "--yes"],
    ["start", "--input", input, "--name", "ApprovalTest"],
    ["pending"],
    ["approve", "ApprovalTest", "--yes"],
    ["show", "ApprovalTest"],
  ];
  for (const args of steps) {
    process.stdout.write(`\n$ approvals ${args.map((a) => (a === input ? "request.json" : a)).join(" ")}\n`);
    const run = spawnSync(process.execPath, [BIN, ...args], { env, stdio: "inherit" });
    if (run.status !== 0) {
      process.stderr.write(`\nThe demo stopped: approvals ${args[0]} exited with ${run.status}.\n`);
      process.exitCode = 1;
      break;
    }
  }
  if (!process.exitCode) process.stdout.write("\nDone: the execution was approved and reached ApprovedPassState.\n");
} catch (error) {
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
}
