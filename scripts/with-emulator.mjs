// Run a command with a moto emulator of its own: start it on a free loopback port, pass its
// endpoint to the command as APPROVALS_TEST_ENDPOINT, stop it when the command ends.
// Usage: node scripts/with-emulator.mjs <command> [args...]   (npm test: ... vitest run)
import { spawn } from "node:child_process";
import { checkMoto, startEmulator } from "./emulator.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/with-emulator.mjs <command> [args...]");
  process.exit(2);
}
try {
  checkMoto();
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exit(1);
}

const emulator = await startEmulator();
console.error(`moto emulator on ${emulator.endpoint}`);
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, APPROVALS_TEST_ENDPOINT: emulator.endpoint },
});
// Ctrl-C reaches the command through the terminal; the emulator is stopped once it exits.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
const code = await new Promise((resolve) => {
  child.on("error", (error) => {
    console.error(`error: cannot run ${command}: ${error.message}`);
    resolve(1);
  });
  child.on("exit", (status, signal) => resolve(status ?? (signal === "SIGINT" ? 130 : 1)));
});
await emulator.stop();
process.exit(code);
