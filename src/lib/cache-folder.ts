// Where the user's cache files go, and whether they may go there: shared by the data cache
// (lib/cache.ts: task tokens), the compiled code the loader keeps (load.ts: executable) and the
// `--debug` note that says why a cache is not used. load.ts is built on its own, so this module
// imports nothing but Node's built-ins.
import { realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

/** The user's cache folder: `$XDG_CACHE_HOME` when absolute (as the XDG specification says), else `~/.cache`. */
export function cacheBase(env: NodeJS.ProcessEnv): string {
  return env.XDG_CACHE_HOME?.startsWith("/") ? env.XDG_CACHE_HOME : join(env.HOME || homedir(), ".cache");
}

/**
 * The folder for this tool's cache: `$XDG_CACHE_HOME/approvals`, else `~/.cache/approvals`
 * (shared with the shell-completion names).
 */
export function cacheDirectory(env: NodeJS.ProcessEnv): string {
  return join(cacheBase(env), "approvals");
}

/** Whether the run may keep files in the user's cache folder (a test context without HOME may not). */
export function cacheAllowed(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HOME || env.XDG_CACHE_HOME);
}

/**
 * The folder for compiled code, one per V8 version and architecture (V8 refuses data of another),
 * or undefined when the run may leave no cache file: `--no-cache` and NODE_DISABLE_COMPILE_CACHE turn
 * it off, NODE_COMPILE_CACHE moves it (as it does Node's own cache).
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, argv: readonly string[]): string | undefined {
  if (argv.includes("--no-cache") || env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const leaf = `v8-${process.versions.v8}-${process.arch}`;
  if (env.NODE_COMPILE_CACHE) return join(resolve(env.NODE_COMPILE_CACHE), "approvals", leaf);
  return cacheAllowed(env) ? join(cacheBase(env), "approvals-compile", leaf) : undefined;
}

/** `dir` and each folder above it, up to `/`. */
function ancestors(dir: string): string[] {
  const all = [dir];
  for (let at = dir; dirname(at) !== at; at = dirname(at)) all.push(dirname(at));
  return all;
}

/**
 * Why cache files may not be kept in `dir`, or undefined when they may. Whoever can rename or replace
 * a folder on the path can swap in files of their own (compiled code that runs as the user, a token
 * for another execution), so every folder from `dir` up to `/`, as named and as it resolves through
 * links, must belong to the user or root, and be writable by no one else: group- or world-writable
 * only when root owns it with the sticky bit (like /tmp), where others cannot rename what is not
 * theirs. Folders not created yet are skipped (the CLI creates them, 0700). `uid` is the user's
 * (default this process's); null where there are no owners (Windows), and nothing to check.
 */
export function folderProblem(dir: string, uid: number | null = process.getuid?.() ?? null): string | undefined {
  if (uid === null) return undefined;
  const named = ancestors(resolve(dir));
  const paths = new Set(named);
  for (const path of named) {
    try {
      for (const real of ancestors(realpathSync(path))) paths.add(real);
      break;
    } catch {}
  }
  for (const path of paths) {
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(path);
    } catch (error) {
      // Not there yet (or under a file, which is refused when its turn comes).
      const { code } = error as NodeJS.ErrnoException;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      return `${path} cannot be inspected (${code})`;
    }
    if (!info.isDirectory()) return `${path} is not a folder`;
    if (info.uid !== uid && info.uid !== 0) return `${path} belongs to another user (uid ${info.uid})`;
    const sticky = (info.mode & 0o1000) !== 0;
    if ((info.mode & 0o022) !== 0 && !(info.uid === 0 && sticky)) {
      const who = (info.mode & 0o002) !== 0 ? "anyone" : "its group";
      return `${path} can be written by ${who} (mode ${(info.mode & 0o7777).toString(8).padStart(4, "0")})`;
    }
  }
  return undefined;
}

/**
 * The `--debug` lines saying which caches this run does without, and why: the data cache and the
 * compiled code, when their folders fail {@link folderProblem}. None when every cache may be used,
 * and none for a run that keeps no cache (`noCache`: `--no-cache`).
 */
export function cacheFolderNotes(env: NodeJS.ProcessEnv, noCache = false): string[] {
  if (noCache) return [];
  const notes: string[] = [];
  const data = cacheAllowed(env) && folderProblem(cacheDirectory(env));
  if (data) notes.push(`cache: not used: ${data}`);
  const compiled = compileCacheDir(env, []);
  const code = compiled && folderProblem(compiled);
  if (code) notes.push(`compiled code: not kept: ${code}`);
  return notes;
}
