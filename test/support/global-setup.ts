import type { TestProject } from "vitest/node";
import { startEmulator } from "../../scripts/emulator.mjs";

/**
 * Start one moto emulator for the whole run (unless APPROVALS_TEST_ENDPOINT names one already
 * running) and hand its endpoint to the tests.
 */
export default async function setup(project: TestProject) {
  const existing = process.env.APPROVALS_TEST_ENDPOINT;
  if (existing) {
    project.provide("endpoint", existing);
    return;
  }
  const emulator = await startEmulator();
  project.provide("endpoint", emulator.endpoint);
  return async () => emulator.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
  }
}
