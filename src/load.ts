// Runs the CLI's chunks (CommonJS, see tsup.config.ts) and keeps V8's compiled code of each between
// runs, so that a run after the first does not compile the AWS SDK again. Node's own compile cache
// (Node 22.1+) makes a module's data as soon as it is compiled, before it runs, so it holds none of
// the functions V8 compiles lazily on first call (most of the SDK code a command runs); this asks V8
// at exit, and works the same on every Node the CLI supports (docs/performance.md).
//
// Compiled code is executable: it is read only from a folder the user owns that no one else can
// write, on a path no one else can rename or replace (lib/cache-folder.ts), and written there 0600 (temporary file, then rename). A cache file is named after the hash
// of its chunk's source (V8 itself checks only the source's length, its own version and its flags,
// and refuses data that does not match them); anything unreadable or refused is compiled afresh
// and written again. `--no-cache` (the CLI's promise of no cache file at all) and
// NODE_DISABLE_COMPILE_CACHE turn it off; NODE_COMPILE_CACHE moves it, as it does Node's own cache.
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { folderProblem } from "./lib/cache-folder.js";

export { compileCacheDir } from "./lib/cache-folder.js";

/** Cache files not rewritten for this long are deleted when another is written. */
export const COMPILE_CACHE_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/**
 * Create the folder 0700 if need be; true when it is a folder of this user that no one else can
 * write, in a place no one else can rename or replace ({@link folderProblem}), checked before the
 * folder is created and again after.
 */
function privateFolder(dir: string): boolean {
  try {
    if (folderProblem(dirname(dir))) return false;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = lstatSync(dir);
    return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o022) === 0 && !folderProblem(dir);
  } catch {
    return false;
  }
}

interface Loaded {
  exports: unknown;
}

/** A loaded entry chunk; `save` writes the compiled code that was not in the cache (call it at exit). */
export interface LoadedChunks {
  exports: unknown;
  save: () => void;
  /** Chunks whose compiled code came from the cache, and those compiled afresh. */
  stats: { cached: number; compiled: number };
}

/**
 * Load the CommonJS chunk `entry` and the chunks it requires (relative names) with compiled code
 * kept in `cacheDir` (none when undefined). Other names go to Node's `require` (built-ins).
 */
export function loadChunks(entry: string, cacheDir: string | undefined): LoadedChunks {
  const cache = cacheDir && privateFolder(cacheDir) ? cacheDir : undefined;
  const nodeRequire = createRequire(entry);
  const modules = new Map<string, Loaded>();
  const unsaved: { script: vm.Script; file: string }[] = [];
  const stats = { cached: 0, compiled: 0 };

  const load = (file: string): unknown => {
    const known = modules.get(file);
    if (known) return known.exports;
    const module: Loaded = { exports: {} };
    modules.set(file, module);
    const source = readFileSync(file, "utf8");
    const cacheFile = cache && join(cache, `${createHash("sha256").update(source).digest("hex").slice(0, 32)}.bin`);
    const cachedData = cacheFile ? readOrUndefined(cacheFile) : undefined;
    // The wrapper keeps the chunk's first line on line 1, so stack traces point at dist/ lines.
    const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${source}\n})`, {
      filename: file,
      cachedData,
    });
    if (cachedData && !script.cachedDataRejected) stats.cached++;
    else {
      stats.compiled++;
      if (cacheFile) unsaved.push({ script, file: cacheFile });
    }
    const require = (id: string) => (id.startsWith("./") ? load(join(dirname(file), id)) : nodeRequire(id));
    script.runInThisContext()(module.exports, require, module, file, dirname(file), pathToFileURL(file).href);
    return module.exports;
  };

  const exports = load(resolve(entry));
  // Saved last (at exit): the data then holds the functions the run compiled lazily, not only the top level.
  return { exports, save: () => cache && saveCompiled(cache, unsaved), stats };
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Write each script's compiled code; drop cache files not rewritten for {@link COMPILE_CACHE_MAX_AGE_MS}. Never throws. */
export function saveCompiled(dir: string, scripts: readonly { script: vm.Script; file: string }[], now = Date.now()): void {
  if (scripts.length === 0) return;
  for (const { script, file } of scripts) {
    const temporary = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
      renameSync(temporary, file);
    } catch {
      try {
        unlinkSync(temporary);
      } catch {}
    }
  }
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {}
  for (const name of names) {
    try {
      const path = join(dir, name);
      if (now - statSync(path).mtimeMs > COMPILE_CACHE_MAX_AGE_MS) unlinkSync(path);
    } catch {}
  }
}
