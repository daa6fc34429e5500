// `npm run sandbox` as a person uses it: read its hint, then stop it with Ctrl-C, which a terminal
// sends to the whole process group (the emulator too).
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { eventually } from "../support/eventually.js";

const SANDBOX = resolve(import.meta.dirname, "../../scripts/sandbox.mjs");

it("prints one export line and the installed command, and says it stopped on Ctrl-C", async () => {
  const { PORT, ...env } = process.env;
  const child = spawn(process.execPath, [SANDBOX], { env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => (stdout += c));
  child.stderr.on("data", (c) => (stderr += c));
  const exited = new Promise<number | null>((done) => child.on("close", done));
  // Ends early when the sandbox exits; the expectation below then says what it printed.
  await eventually(() => stdout.includes("Press Ctrl-C") || child.exitCode !== null, { deadline: 40_000, what: "the sandbox to start" });
  expect(stdout).toContain("Press Ctrl-C");

  const exports = stdout.split("\n").filter((line) => line.startsWith("export "));
  expect(exports).toHaveLength(1);
  expect(exports[0]).toMatch(
    /^export AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+ AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing APPROVALS_API_ENDPOINT=http:\/\/127\.0\.0\.1:\d+$/,
  );
  expect(stdout).toMatch(/^approvals deploy --email you@example\.com$/m);
  expect(stdout).not.toContain("npx approvals");

  process.kill(-(child.pid as number), "SIGINT");
  expect(await exited).toBe(0);
  expect(stdout).toMatch(/Stopped the emulator at http:\/\/127\.0\.0\.1:\d+; everything in it is gone\.\n$/);
  expect(stderr).toBe("");
}, 60_000);
