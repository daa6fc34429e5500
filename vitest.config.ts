import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

export default defineConfig({
  define: { __APPROVALS_VERSION__: JSON.stringify(version) },
  test: {
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Every CLI run of a test has a HOME of its own; they share one folder of compiled code
      // (src/load.ts) so that each does not compile the SDK again. test/integration/startup.test.ts
      // covers the default folder under HOME.
      NODE_COMPILE_CACHE: join(tmpdir(), `approvals-test-compile-${process.getuid?.() ?? "user"}`),
    },
    // Integration files share one single-process emulator, and most of their time is the CLI's CPU:
    // on 2 cores, 3 workers keep both busy while a file waits on a timeout; 4 measured slower.
    maxWorkers: 3,
    minWorkers: 1,
    projects: [
      {
        // Pure and in-process tests: no Python, no emulator, no network (`npm run test:unit`).
        extends: true,
        test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 },
      },
      {
        // The built CLI against the moto emulator, and in a terminal: the emulator starts once for these only.
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/terminal/**/*.test.ts"],
          globalSetup: ["test/support/global-setup.ts"],
          // These files share nothing but the emulator: a worker keeps its loaded modules (the SDK the
          // tests set up with) from one file to the next instead of importing them again for each.
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
