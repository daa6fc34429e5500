// Where the user's cache files go: shared by the data cache (lib/cache.ts) and the compiled code
// Node keeps (compile-cache.ts), which is built on its own and so imports nothing heavier than this.
import { homedir } from "node:os";
import { join } from "node:path";

/** The user's cache folder: `$XDG_CACHE_HOME` when absolute (as the XDG specification says), else `~/.cache`. */
export function cacheBase(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), ".cache");
}

/** Whether the run may keep files in the user's cache folder (a test context without HOME may not). */
export function cacheAllowed(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HOME || env.XDG_CACHE_HOME);
}
