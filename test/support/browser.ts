import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** A Chromium to drive with playwright-core, and where it was found. */
export interface FoundBrowser {
  executablePath: string;
  /** `CHROMIUM_PATH`, the command found on PATH, or `@sparticuz/chromium`, for the test's messages. */
  source: string;
}

/** The system browsers tried on PATH, in this order. */
export const SYSTEM_BROWSERS = ["chromium", "chromium-browser", "google-chrome"];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `commands` found as an executable file in one of PATH's folders. */
function onPath(commands: string[], path: string | undefined): string | undefined {
  const folders = (path ?? "").split(delimiter).filter(Boolean);
  for (const command of commands) {
    for (const folder of folders) {
      const file = join(folder, command);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/**
 * The Chromium the browser test drives, in order: `CHROMIUM_PATH` (when it names an executable;
 * otherwise it says so and looks further), a system chromium, chromium-browser or google-chrome on
 * PATH, then the headless Chromium inside the `@sparticuz/chromium` devDependency (unpacked on
 * first use into the temporary folder), so a fresh clone needs no browser installed.
 */
export async function findChromium(env: Record<string, string | undefined> = process.env): Promise<FoundBrowser> {
  const named = env.CHROMIUM_PATH;
  if (named) {
    if (isExecutable(named)) return { executablePath: named, source: "CHROMIUM_PATH" };
    console.warn(`CHROMIUM_PATH=${named} is not an executable file: looking for a Chromium on PATH, then in @sparticuz/chromium.`);
  }
  const system = onPath(SYSTEM_BROWSERS, env.PATH);
  if (system) return { executablePath: system, source: system };
  const { default: packaged } = await import("@sparticuz/chromium");
  return { executablePath: await packaged.executablePath(), source: "@sparticuz/chromium" };
}
