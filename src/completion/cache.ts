import { scopeOf, type WaitingScope } from "../core/scope.js";
import { configuredScope, openSection, section } from "../core/store.js";

/** Names younger than this are shown without asking AWS again. */
export const FRESH_MS = 60_000;
/** A refresh started less than this long ago is still running (or gave up): do not start another. */
export const REFRESH_GRACE_MS = 20_000;
const KEY = "names";
/** Where the names of recently finished executions are kept, beside the waiting ones. */
const FINISHED_KEY = "finished";
/** Where the names of the region's state machines are kept (for `--state-machine`), in the scope with no stack. */
const MACHINES_KEY = "machines";
/** State machine names remembered at most. */
export const MAX_MACHINES = 2000;

export { scopeOf, type WaitingScope };

/** The remembered names of waiting executions for one scope. */
export interface WaitingNames {
  names: string[];
  /** When the names were read from AWS (epoch ms); 0 when never. */
  writtenAt: number;
  /** When a background refresh last started (epoch ms). */
  refreshStartedAt?: number;
}

function isWaitingNames(value: unknown): value is WaitingNames {
  const v = value as WaitingNames | undefined;
  return Array.isArray(v?.names) && v.names.every((n) => typeof n === "string") && typeof v.writtenAt === "number";
}

/** The store's section of names: execution names only, never tokens or credentials; one file per stack. */
const NAMES = section("names", isWaitingNames);

/** The stack's names in the store, in the scope as configured (a Tab press resolves no region from files). */
function open(scope: WaitingScope, env: NodeJS.ProcessEnv) {
  const { stackName, region, profile } = scope;
  return openSection(configuredScope({ region, profile, endpointUrl: scope.endpoint }, env), NAMES, stackName, { env });
}

/** The names remembered for the scope, if any. */
export async function readWaiting(scope: WaitingScope, env: NodeJS.ProcessEnv): Promise<WaitingNames | undefined> {
  return (await open(scope, env)).get(KEY);
}

async function update(scope: WaitingScope, env: NodeJS.ProcessEnv, change: (entry: WaitingNames) => WaitingNames): Promise<void> {
  const cache = await open(scope, env);
  cache.set(KEY, change(cache.get(KEY) ?? { names: [], writtenAt: 0 }));
  await cache.save();
}

/** Remember the names of the executions waiting in the scope, read from AWS at `now`. */
export function writeWaiting(scope: WaitingScope, names: string[], env: NodeJS.ProcessEnv, now: number): Promise<void> {
  return update(scope, env, () => ({ names, writtenAt: now }));
}

/** Note that a background refresh started, so repeated Tab presses start only one. */
export function markRefreshing(scope: WaitingScope, env: NodeJS.ProcessEnv, now: number): Promise<void> {
  return update(scope, env, (entry) => ({ ...entry, refreshStartedAt: now }));
}

/** Whether the names should be read again, and no refresh is under way. */
export function needsRefresh(entry: WaitingNames | undefined, now: number): boolean {
  if (entry && now - entry.writtenAt < FRESH_MS) return false;
  return !(entry?.refreshStartedAt && now - entry.refreshStartedAt < REFRESH_GRACE_MS);
}

/** Best effort: a cache that cannot be written must never fail the command that read the names. */
export async function rememberWaiting(
  options: { stackName?: string; region?: string; profile?: string; endpointUrl?: string },
  names: string[],
  env: NodeJS.ProcessEnv,
  now: number,
): Promise<void> {
  try {
    await writeWaiting(scopeOf(options, env), names, env, now);
  } catch {
    // Read-only or full disk: completion just offers older names, or none.
  }
}

/** Remember what a run of `pending` found waiting in `stackName`, for shell completion. */
export async function rememberNames(
  ctx: { aws: { region?: string; profile?: string; endpointUrl?: string }; env: NodeJS.ProcessEnv; now: () => Date },
  stackName: string,
  waiting: { name: string }[],
): Promise<void> {
  const { region, profile, endpointUrl } = ctx.aws;
  await rememberWaiting(
    { stackName, region, profile, endpointUrl },
    waiting.map((w) => w.name),
    ctx.env,
    ctx.now().getTime(),
  );
}

/** Finished executions remembered for `show`'s completion, at most. */
export const MAX_FINISHED = 50;

/** The names of recently finished executions remembered for the scope (offered to `show`). */
export async function readFinished(scope: WaitingScope, env: NodeJS.ProcessEnv): Promise<string[]> {
  return (await open(scope, env)).get(FINISHED_KEY)?.names ?? [];
}

/**
 * Best effort: remember the names of finished executions `list` or a refresh just read, newest first,
 * ahead of those remembered before, so `show` can complete them.
 */
export async function rememberFinished(
  options: { stackName?: string; region?: string; profile?: string; endpointUrl?: string },
  names: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  try {
    const cache = await open(scopeOf(options, env), env);
    const known = cache.get(FINISHED_KEY)?.names ?? [];
    const merged = [...new Set([...names, ...known])].slice(0, MAX_FINISHED);
    if (merged.join("\n") === known.join("\n")) return;
    cache.set(FINISHED_KEY, { names: merged, writtenAt: Date.now() });
    await cache.save();
  } catch {
    // Completion just offers fewer names.
  }
}

/** The scope of state machine names: the account and region, whatever the stack. */
const machineScope = (scope: WaitingScope): WaitingScope => ({ ...scope, stackName: "" });

/**
 * The names of state machines remembered for the scope's account and region (offered after
 * `--state-machine`): at most MAX_MACHINES, however many a file written otherwise holds.
 */
export async function readMachines(scope: WaitingScope, env: NodeJS.ProcessEnv): Promise<string[]> {
  return ((await open(machineScope(scope), env)).get(MACHINES_KEY)?.names ?? []).slice(0, MAX_MACHINES);
}

/**
 * Best effort: remember state machine names a run just read, for `--state-machine` completion. With
 * `every`, the names are all the region has (what was remembered before goes); else they join it.
 */
export async function rememberMachines(
  ctx: { aws: { region?: string; profile?: string; endpointUrl?: string }; env: NodeJS.ProcessEnv; now: () => Date },
  names: string[],
  every: boolean,
): Promise<void> {
  try {
    const cache = await open(machineScope(scopeOf(ctx.aws, ctx.env)), ctx.env);
    const known = every ? [] : (cache.get(MACHINES_KEY)?.names ?? []);
    const merged = [...new Set([...names, ...known])].slice(0, MAX_MACHINES);
    if (merged.join("\n") === (cache.get(MACHINES_KEY)?.names ?? []).join("\n")) return;
    cache.set(MACHINES_KEY, { names: merged, writtenAt: ctx.now().getTime() });
    await cache.save();
  } catch {
    // Completion just offers fewer names.
  }
}
