// The one way to what a run remembers for the next: every section goes through here, scoped by
// endpoint, region and profile (the account as the run's credentials name it), one file per
// section and subject in the private cache folder (lib/cache.ts: 0700/0600, atomic writes, files
// that are foreign, corrupt or of another layout read as empty).
import { endpointOf } from "../aws/conventions.js";
import type { Context } from "../context.js";
import { type Cache, openCache, removeCache } from "../lib/cache.js";
import { cacheAllowed } from "../lib/cache-folder.js";

/** Where remembered things live: the endpoint (`aws` for AWS itself), the region, the profile. */
export interface StoreScope {
  endpoint: string;
  region: string;
  profile: string;
}

/**
 * The sections of the store, each with its subject (what one file holds):
 * - `stack`: a stack's outputs and deployed definition (subject: the stack name);
 * - `waiting`: `pending`'s waiting tasks of the stack's state machine, tokens included (its ARN);
 * - `tasks`: `pending --state-machine`'s waiting tasks of any state machine, tokens included (its ARN);
 * - `definitions`: `--all-state-machines`' definitions by revision (no subject: the whole region);
 * - `ended`: `list`'s decided and ended executions (the state machine's ARN);
 * - `names`: the names shell completion offers (the stack name; no stack: state machine names).
 */
export type SectionName = "stack" | "waiting" | "tasks" | "definitions" | "ended" | "names";

/** A section and the shape of its entries: entries of another shape are dropped when read. */
export interface Section<T> {
  name: SectionName;
  validate: (value: unknown) => value is T;
}

/** Declare a section where its entries are defined (the store knows only their names). */
export function section<T>(name: SectionName, validate: (value: unknown) => value is T): Section<T> {
  return { name, validate };
}

/**
 * The scope of a run as its command line and environment say (`--region`, AWS_REGION, ...): for
 * shell completion, which cannot afford to resolve a region from the profile's files.
 */
export function configuredScope(options: { region?: string; profile?: string; endpointUrl?: string }, env: NodeJS.ProcessEnv): StoreScope {
  return {
    endpoint: endpointOf(options.endpointUrl, env) ?? "aws",
    region: options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || ""),
    profile: options.profile ?? (env.AWS_PROFILE || ""),
  };
}

/**
 * The scope of the run's use cases: as configured, with the region the Step Functions client
 * resolved (a profile's own region included). Undefined when the run may not use the cache folder.
 */
export async function storeScope(ctx: Context): Promise<StoreScope | undefined> {
  if (!cacheAllowed(ctx.env)) return undefined;
  const configured = configuredScope(ctx.aws, ctx.env);
  const region = await (await ctx.sfn()).region();
  return region ? { ...configured, region } : configured;
}

/** Options of {@link openSection}. */
export interface StoreOptions {
  /** Environment that locates the cache folder (XDG_CACHE_HOME, HOME). */
  env: NodeJS.ProcessEnv;
  /** Another folder instead (tests); default the cache folder. */
  directory?: string;
}

/** Open one section's entries for a subject within a scope. */
export function openSection<T>(scope: StoreScope, of: Section<T>, subject: string, options: StoreOptions): Promise<Cache<T>> {
  return openCache(of.name, keyOf(scope, subject), { ...options, validate: of.validate });
}

/** Forget one section's entries for a subject (a stack or state machine that is gone). Never throws. */
export function removeSection(scope: StoreScope, of: Section<unknown>, subject: string, options: StoreOptions): Promise<void> {
  return removeCache(of.name, keyOf(scope, subject), options);
}

const keyOf = (scope: StoreScope, subject: string) => JSON.stringify([scope.endpoint, scope.region, scope.profile, subject]);
