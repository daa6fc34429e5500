// Where Node keeps the CLI's compiled code between runs (Node 22.1 and later: module.enableCompileCache;
// Node 20 has no such API and runs without). Built on its own (dist/compile-cache.js) and imported by
// bin/approvals.js before the CLI, so it imports nothing but Node's built-ins and the cache-folder rule.
//
// Compiled code is executable: it is kept only in a folder of the user's that no one else can write,
// under parents no one else can rename or replace (lib/cache-folder.ts). Node names each file by the
// hash of its module's path and checks a hash of the source before it uses the code.
import { lstatSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { cacheAllowed, cacheBase, folderProblem } from "./lib/cache-folder.js";

/** Where compiled code goes, or why there is none this run. */
export type CompileCacheFolder = { dir: string } | { dir?: undefined; reason: string };

/**
 * The folder for compiled code: `<cache folder>/approvals-compile`, or `NODE_COMPILE_CACHE` (which
 * Node itself then uses); none with `--no-cache` (the CLI's promise of no cache file at all) or
 * `NODE_DISABLE_COMPILE_CACHE`.
 */
export function compileCacheFolder(env: NodeJS.ProcessEnv, argv: readonly string[]): CompileCacheFolder {
  if (argv.includes("--no-cache")) return { reason: "--no-cache" };
  if (env.NODE_DISABLE_COMPILE_CACHE) return { reason: "NODE_DISABLE_COMPILE_CACHE is set" };
  if (env.NODE_COMPILE_CACHE) return { dir: resolve(env.NODE_COMPILE_CACHE) };
  if (!cacheAllowed(env)) return { reason: "neither HOME nor XDG_CACHE_HOME is set" };
  return { dir: resolve(cacheBase(env), "approvals-compile") };
}

/**
 * Create the folder 0700 if need be; why it may not hold compiled code, or undefined when it may:
 * the path above it is checked before it is created ({@link folderProblem}: no one else can rename or
 * replace a folder on the way), and the folder itself after.
 */
export function refusePrivateFolder(dir: string): string | undefined {
  try {
    const above = folderProblem(dirname(dir));
    if (above) return above;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return `${dir} is not a folder`;
    if (stat.uid !== process.getuid?.()) return `${dir} belongs to another user`;
    if ((stat.mode & 0o022) !== 0) return `others can write ${dir}`;
    return folderProblem(dir);
  } catch (error) {
    return `${dir} cannot be created (${(error as NodeJS.ErrnoException).code ?? "error"})`;
  }
}

/**
 * Turn Node's compile cache on for the rest of the run, where Node has it (22.1+) and the folder is
 * safe; returns what happened, for `--debug`. `NODE_COMPILE_CACHE` is the user's own choice of folder,
 * which Node has already enabled at start-up: the note says when that folder fails the cache-folder rule.
 */
export function enableCompileCache(
  env: NodeJS.ProcessEnv,
  argv: readonly string[],
  enable: ((dir: string) => unknown) | undefined,
): string {
  if (!enable) return `compiled code is not kept: Node ${process.versions.node} has no compile cache (22.1 and later do)`;
  const folder = compileCacheFolder(env, argv);
  if (folder.dir === undefined) return `compiled code is not kept: ${folder.reason}`;
  if (env.NODE_COMPILE_CACHE) {
    // Node used it before this code ran and cannot be told to stop: the least is to say it is unsafe.
    const problem = folderProblem(folder.dir);
    const risk = problem ? `, though ${problem}: others could replace the code that runs as you` : "";
    return `compiled code is kept in ${folder.dir} (NODE_COMPILE_CACHE)${risk}`;
  }
  const refused = refusePrivateFolder(folder.dir);
  if (refused) return `compiled code is not kept: ${refused}`;
  enable(folder.dir);
  return `compiled code is kept in ${folder.dir}`;
}
