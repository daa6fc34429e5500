// `npm run sandbox`: keep a local emulator running so every command can be tried by hand, with the
// stacks' approval pages served on loopback (the template's own function code, on the emulator).
import { startApprovalApi } from "./approval-api.mjs";
import { emulatorEnv, startEmulator } from "./emulator.mjs";

const port = process.env.PORT ? Number(process.env.PORT) : undefined;
try {
  const emulator = await startEmulator({ port });
  // The functions' own logs (they never hold a task token), as CloudWatch Logs would keep them.
  const api = await startApprovalApi({
    endpoint: emulator.endpoint,
    onLogs: (logs) => process.stderr.write(logs.replace(/^(?=.)/gm, "[approval page] ")),
  });
  const env = { ...emulatorEnv(emulator.endpoint), APPROVALS_API_ENDPOINT: api.url };
  process.stdout.write(
    [
      `Local AWS emulator (moto) running at ${emulator.endpoint}; approval pages at ${api.url}. In another shell:`,
      "",
      ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`),
      "",
      "then try: npx approvals deploy --email you@example.com",
      `          echo '{"Comment":"Try me"}' | npx approvals start --input -`,
      "          npx approvals pending --links    # open a link in your browser",
      "Press Ctrl-C to stop the emulator (everything in it is lost).",
      "",
    ].join("\n"),
  );
  const stop = async () => {
    await api.stop();
    await emulator.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  emulator.process.on("exit", (code) => {
    process.stderr.write(`The emulator exited (${code}).\n`);
    process.exit(1);
  });
} catch (error) {
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(1);
}
