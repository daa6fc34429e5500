// Start and stop a local moto server that executes Step Functions state machines.
// Used by the tests, `npm run demo`, `npm run sandbox` and `npm run bench`.
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), "moto-server.py");
const PYTHON = process.env.MOTO_PYTHON ?? "python3";

/** Install advice, shown when moto cannot be imported. */
export const INSTALL_HINT =
  'moto is not installed: run `pip install "moto[server]"` (moto 5.2 or later), or set MOTO_PYTHON to a Python that has it.';

/** Throw a one-line error unless Python can import moto's server. */
export function checkMoto() {
  const probe = spawnSync(PYTHON, ["-c", "import moto.server, moto.stepfunctions.parser"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new Error(INSTALL_HINT);
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Start moto on a free loopback port and wait until it answers.
 * @param {{ port?: number, quiet?: boolean, env?: Record<string, string> }} [options] quiet (default true) drops
 *   moto's request log; env adds to the launcher's environment (e.g. APPROVALS_JSONATA_TIMEOUT_S).
 * @returns {Promise<{ endpoint: string, port: number, process: import("node:child_process").ChildProcess, stop: () => Promise<void> }>}
 */
export async function startEmulator(options = {}) {
  checkMoto();
  const port = options.port ?? (await freePort());
  const child = spawn(PYTHON, [LAUNCHER, "-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", options.quiet === false ? "inherit" : "ignore", "pipe"],
    // The launcher evaluates JSONata with this Node (scripts/moto_jsonata.py), not whichever is on PATH.
    env: { ...process.env, PYTHONUNBUFFERED: "1", APPROVALS_NODE: process.execPath, ...options.env },
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited with code ${child.exitCode}: ${stderr.trim().split("\n").at(-1)}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`moto did not answer on ${endpoint} within 30 s: ${stderr.trim().split("\n").at(-1) ?? ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  };
  return { endpoint, port, process: child, stop };
}

/** Environment for talking to the emulator with the SDK's own conventions and dummy credentials. */
export function emulatorEnv(endpoint) {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
  };
}
