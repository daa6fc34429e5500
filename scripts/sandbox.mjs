// `npm run sandbox`: keep a local emulator running so every command can be tried by hand.
import { emulatorEnv, startEmulator } from "./emulator.mjs";

const port = process.env.PORT ? Number(process.env.PORT) : undefined;
try {
  const emulator = await startEmulator({ port });
  const env = emulatorEnv(emulator.endpoint);
  process.stdout.write(
    [
      `Local AWS emulator (moto) running at ${emulator.endpoint}. In another shell:`,
      "",
      ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`),
      "",
      "then try: npx approvals deploy --email you@example.com",
      "Press Ctrl-C to stop the emulator (everything in it is lost).",
      "",
    ].join("\n"),
  );
  const stop = async () => {
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
