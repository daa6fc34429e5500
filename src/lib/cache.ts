import { createHash, randomBytes } from "node:crypto";
import { chmod, lstat, mkdir, open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { cacheDirectory, folderProblem } from "./cache-folder.js";

/**
 * A small store for data worth remembering between runs (waiting executions, names for shell
 * completion). One JSON file per name and scope in a private folder under the user's cache
 * directory. It never holds credentials; it may hold task tokens, hence the modes: the folder is
 * 0700 and each file 0600, written to a temporary file and renamed so no reader sees half a file.
 * A missing, corrupt, foreign or older-version file reads as empty: the cache only ever saves calls.
 * In a folder someone else could rename or replace (see `folderProblem`) nothing is read or written.
 */

/** Bumped whenever the file layout changes: files of another version read as empty. */
export const CACHE_VERSION = 1;

/** Options of {@link openCache}. */
export interface CacheOptions<T> {
  /** Environment to find the cache directory in (XDG_CACHE_HOME, HOME); default none, which needs `directory`. */
  env?: NodeJS.ProcessEnv;
  /** The folder to use instead of {@link cacheDirectory}'s; default none. */
  directory?: string;
  /** Keeps only entries of the expected shape; default: every entry is kept. */
  validate?: (value: unknown) => value is T;
}

/** Entries remembered under one name and scope, read once and saved at once. */
export interface Cache<T> {
  /** The file the entries live in. */
  readonly path: string;
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  delete(key: string): void;
  keys(): string[];
  /** Write the entries if anything changed. Never throws: a cache that cannot be written is only slower. */
  save(): Promise<void>;
}

interface CacheFile {
  version: number;
  scope: string;
  entries: Record<string, unknown>;
}

/**
 * Open the entries stored under `name` (a file-name-safe word, e.g. `waiting`) for `scope`
 * (e.g. endpoint and state machine ARN). Different scopes live in different files.
 */
export async function openCache<T>(name: string, scope: string, options: CacheOptions<T> = {}): Promise<Cache<T>> {
  const { directory, path } = locate(name, scope, options);
  // Checked at open for reading; a save checks again (a folder missing now may be someone else's by then).
  const usable = !folderProblem(directory);
  const entries = new Map<string, T>();
  for (const [key, value] of Object.entries(usable ? await readEntries(path, scope) : {})) {
    if (!options.validate || options.validate(value)) entries.set(key, value as T);
  }
  let changed = false;
  return {
    path,
    get: (key) => entries.get(key),
    set: (key, value) => {
      entries.set(key, value);
      changed = true;
    },
    delete: (key) => {
      changed = entries.delete(key) || changed;
    },
    keys: () => [...entries.keys()],
    save: async () => {
      if (!changed || !usable) return;
      const file: CacheFile = { version: CACHE_VERSION, scope, entries: Object.fromEntries(entries) };
      if (await writePrivateFile(directory, path, JSON.stringify(file))) changed = false;
    },
  };
}

/**
 * Delete the file of `name` and `scope` (e.g. the waiting executions of a state machine that no longer
 * exists). Never throws: a file that cannot be removed reads as foreign to any other scope anyway.
 */
export async function removeCache(
  name: string,
  scope: string,
  options: Pick<CacheOptions<unknown>, "env" | "directory"> = {},
): Promise<void> {
  const { directory, path } = locate(name, scope, options);
  if (!folderProblem(directory)) await unlink(path).catch(() => {});
}

function locate(name: string, scope: string, options: Pick<CacheOptions<unknown>, "env" | "directory">) {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Invalid cache name ${JSON.stringify(name)}.`);
  const directory = options.directory ?? cacheDirectory(options.env ?? {});
  return { directory, path: join(directory, `${name}-${createHash("sha256").update(scope).digest("hex").slice(0, 20)}.json`) };
}

/** The file's entries, or none when it is missing, unsafe, corrupt, of another version or scope. */
async function readEntries(path: string, scope: string): Promise<Record<string, unknown>> {
  try {
    const info = await lstat(path);
    // Someone else's file, a link, or one others could read: do not trust what it says.
    if (!info.isFile() || (process.getuid && info.uid !== process.getuid()) || (info.mode & 0o077) !== 0) return {};
    const file = JSON.parse(await readFile(path, "utf8")) as Partial<CacheFile>;
    if (file?.version !== CACHE_VERSION || file.scope !== scope) return {};
    if (!file.entries || typeof file.entries !== "object" || Array.isArray(file.entries)) return {};
    return file.entries;
  } catch {
    return {};
  }
}

/**
 * Create the folder 0700 (tightening it if it exists) and write the file 0600 atomically. The path is
 * checked again before and after the folder is made: folders missing when the cache was opened may
 * since have been created by someone else (in a shared sticky folder, say), and once the whole path
 * exists and passes, only the user or root can change it.
 */
async function writePrivateFile(directory: string, path: string, text: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    if (folderProblem(directory)) return false;
    await mkdir(directory, { recursive: true, mode: 0o700 });
    if (folderProblem(directory)) return false;
    const info = await lstat(directory);
    if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) return false;
    if ((info.mode & 0o077) !== 0) await chmod(directory, 0o700);
    // "wx": never follow or reuse a file someone placed there.
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    return true;
  } catch {
    await unlink(temporary).catch(() => {});
    return false;
  }
}
