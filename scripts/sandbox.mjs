// `npm run sandbox`: keep a local emulator running so every command can be tried by hand, with the
// stacks' approval pages served on loopback (the template's own function code, on the emulator).
import { fileURLToPath } from "node:url";
import { startApprovalApi } from "./approval-api.mjs";
import { emulatorEnv, startEmulator } from "./emulator.mjs";

// APPROVALS_SANDBOX_PORT fixes the emulator's port (the approval pages take the next one), so that an
// `export` line in another shell stays right when the sandbox restarts. PORT is the older name.
const fixed = process.env.APPROVALS_SANDBOX_PORT ?? process.env.PORT;
const port = fixed ? Number(fixed) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65535)) {
  process.stderr.write(`error: APPROVALS_SANDBOX_PORT ${fixed} is not a port number (1-65534).\n`);
  process.exit(2);
}
// `npx approvals` outside this clone runs an unrelated package from the registry: name this clone's own binary.
const bin = fileURLToPath(new URL("../bin/approvals.js", import.meta.url));
try {
  const emulator = await startEmulator({ port });
  // The functions' own logs (they never hold a task token), as CloudWatch Logs would keep them.
  const api = await startApprovalApi({
    endpoint: emulator.endpoint,
    port: port === undefined ? 0 : port + 1,
    // As on AWS: a burst of requests beyond the stage's throttle gets 429.
    throttle: true,
    onLogs: (logs) => process.stderr.write(logs.replace(/^(?=.)/gm, "[approval page] ")),
  });
  const env = { ...emulatorEnv(emulator.endpoint), APPROVALS_API_ENDPOINT: api.url };
  process.stdout.write(
    [
      `Local AWS emulator (moto) running at ${emulator.endpoint}; approval pages at ${api.url}. In another shell:`,
      "",
      `export ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
      "approvals deploy --email you@example.com",
      `echo '{"Comment":"Try me"}' | approvals start --input -`,
      "approvals pending --links    # open a link in your browser: the approval page, served on loopback",
      "",
      `\`approvals\` is the installed command (\`npm link\` in this clone installs it), or run node ${bin}`,
      "Press Ctrl-C to stop the emulator (everything in it is lost).",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await api.stop();
    await emulator.stop();
    process.stdout.write(`\nStopped the emulator at ${emulator.endpoint}; everything in it is gone.\n`);
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  emulator.process.on("exit", (code, signal) => {
    // Ctrl-C at a terminal reaches the emulator too, and it may exit before our own handler runs.
    if (stopping || signal === "SIGINT" || signal === "SIGTERM") return void stop();
    process.stderr.write(`The emulator exited (${code ?? signal}).\n`);
    process.exit(1);
  });
} catch (error) {
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
