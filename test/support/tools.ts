import { spawnSync } from "node:child_process";
import { it } from "vitest";

/** Whether `command args…` runs here and exits 0 (for a tool the tests drive: tmux, zsh, fish). */
export function commandRuns(command: string, args: string[]): boolean {
  return spawnSync(command, args, { encoding: "utf8", stdio: "ignore" }).status === 0;
}

/** Whether this run is a CI run (`CI` set to anything but an empty string, `0` or `false`). */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/**
 * Gate for tests that need an outside tool. With the tool present, they run. Without it, on a
 * developer's machine they skip (the title says why and how to install it); under CI they must not
 * pass by skipping (.ci/run installs every tool), so this adds a test that fails, naming the tool.
 * Call at the top level of a test file, and skip the tests with the answer.
 *
 * @param tool what the tests need, as the error names it
 * @param present whether it runs here ({@link commandRuns})
 * @param install how to install it, for the message
 * @returns whether the tests needing `tool` should skip
 */
export function skipWithout(tool: string, present: boolean, install: string, env = process.env): boolean {
  if (present) return false;
  if (isCi(env)) {
    it(`${tool} is installed (CI runs every test)`, () => {
      throw new Error(`${tool} is not installed, and under CI its tests fail rather than skip: ${install}`);
    });
  } else {
    console.warn(`${tool} is not installed: its tests are skipped (${install}).`);
  }
  return true;
}
