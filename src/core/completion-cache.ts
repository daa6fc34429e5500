import { createHash } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";

/** Names younger than this are shown without asking AWS again. */
export const FRESH_MS = 60_000;
/** A refresh started less than this long ago is still running (or gave up): do not start another. */
export const REFRESH_GRACE_MS = 20_000;
/** Entries untouched for this long are dropped on the next write. */
const FORGET_MS = 7 * 24 * 3600_000;

/** Which stack, in which account and region, the names belong to: as the command line and environment say. */
export interface WaitingScope {
  stackName: string;
  region?: string;
  profile?: string;
  endpoint?: string;
}

/** The remembered names of waiting executions for one scope. */
export interface WaitingNames {
  names: string[];
  /** When the names were read from AWS (epoch ms); 0 when never. */
  writtenAt: number;
  /** When a background refresh last started (epoch ms). */
  refreshStartedAt?: number;
}

interface CacheFile {
  version: 1;
  scopes: Record<string, WaitingNames>;
}

/** The options of a command line that choose the scope; env supplies what they leave unset, as the SDK would. */
export function scopeOf(
  options: { stackName?: string; region?: string; profile?: string; endpointUrl?: string },
  env: NodeJS.ProcessEnv,
): WaitingScope {
  return {
    stackName: options.stackName ?? "human-approval",
    region: options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined),
    profile: options.profile ?? (env.AWS_PROFILE || undefined),
    endpoint: options.endpointUrl ?? (env.AWS_ENDPOINT_URL_SFN || env.AWS_ENDPOINT_URL || undefined),
  };
}

/**
 * The cache file: names of waiting executions only — never tokens or credentials — in a 0700 folder
 * under the user's cache directory (XDG_CACHE_HOME, else ~/.cache), written 0600.
 */
export function cacheFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "approvals", "completion.json");
}

function keyOf(scope: WaitingScope): string {
  const { stackName, region = "", profile = "", endpoint = "" } = scope;
  return createHash("sha256")
    .update(JSON.stringify([stackName, region, profile, endpoint]))
    .digest("hex")
    .slice(0, 32);
}

async function load(env: NodeJS.ProcessEnv): Promise<CacheFile> {
  try {
    const parsed = JSON.parse(await readFile(cacheFile(env), "utf8")) as CacheFile;
    if (parsed?.version === 1 && parsed.scopes && typeof parsed.scopes === "object") return parsed;
  } catch {
    // Missing or corrupt: completion starts afresh rather than failing the shell.
  }
  return { version: 1, scopes: {} };
}

/** The names remembered for the scope, if any. */
export async function readWaiting(scope: WaitingScope, env: NodeJS.ProcessEnv): Promise<WaitingNames | undefined> {
  const entry = (await load(env)).scopes[keyOf(scope)];
  if (!entry || !Array.isArray(entry.names)) return undefined;
  return {
    names: entry.names.filter((n) => typeof n === "string"),
    writtenAt: Number(entry.writtenAt) || 0,
    refreshStartedAt: entry.refreshStartedAt,
  };
}

/** Change one scope's entry; the file is replaced atomically so a reader never sees half of it. */
async function update(
  env: NodeJS.ProcessEnv,
  scope: WaitingScope,
  now: number,
  change: (entry: WaitingNames) => WaitingNames,
): Promise<void> {
  const file = cacheFile(env);
  const dir = join(file, "..");
  const cache = await load(env);
  const key = keyOf(scope);
  cache.scopes[key] = change(cache.scopes[key] ?? { names: [], writtenAt: 0 });
  for (const [k, entry] of Object.entries(cache.scopes)) {
    if (now - Math.max(entry.writtenAt, entry.refreshStartedAt ?? 0) > FORGET_MS) delete cache.scopes[k];
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(cache), { mode: 0o600 });
  await rename(temp, file);
}

/** Remember the names of the executions waiting in the scope, read from AWS at `now`. */
export function writeWaiting(scope: WaitingScope, names: string[], env: NodeJS.ProcessEnv, now = Date.now()): Promise<void> {
  return update(env, scope, now, () => ({ names, writtenAt: now }));
}

/** Note that a background refresh started, so repeated Tab presses start only one. */
export function markRefreshing(scope: WaitingScope, env: NodeJS.ProcessEnv, now = Date.now()): Promise<void> {
  return update(env, scope, now, (entry) => ({ ...entry, refreshStartedAt: now }));
}

/** Whether the names should be read again, and no refresh is under way. */
export function needsRefresh(entry: WaitingNames | undefined, now = Date.now()): boolean {
  if (entry && now - entry.writtenAt < FRESH_MS) return false;
  return !(entry?.refreshStartedAt && now - entry.refreshStartedAt < REFRESH_GRACE_MS);
}

/** Best effort: a cache that cannot be written must never fail the command that read the names. */
export async function rememberWaiting(
  options: { stackName?: string; region?: string; profile?: string; endpointUrl?: string },
  names: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    await writeWaiting(scopeOf(options, env), names, env);
  } catch {
    // Read-only or full disk: completion just offers older names, or none.
  }
}
