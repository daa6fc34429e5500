// What `pending --all-state-machines` remembers of each state machine's definition, so a warm run
// describes none: whether it has a callback task (and, when it has, the definition), with the
// revision it was read at. A definition changed since only matters to executions started since.
import type { Cache } from "../../lib/cache.js";
import { openSection, type StoreOptions, type StoreScope, section } from "../store.js";

/** One state machine's definition as last read. */
export interface RememberedDefinition {
  /** DescribeStateMachine's revisionId (changes with each update), else its creationDate: the version read. */
  revision: string;
  /** ISO time it was read: an execution started later may run a newer definition. */
  readAt: string;
  /** Whether it has a callback task; only then is its text kept. */
  hasCallback: boolean;
  definition?: string;
}

/** The definitions of every state machine of one endpoint, account and region, keyed by ARN (which holds account and region). */
export type DefinitionCache = Cache<RememberedDefinition>;

/** The store's section of definitions: one file for the whole scope. */
const DEFINITIONS = section("definitions", isRememberedDefinition);

/** Open the definitions remembered in the run's scope (the ARNs they are keyed by name their account). */
export function openDefinitionCache(scope: StoreScope, options: StoreOptions): Promise<DefinitionCache> {
  return openSection(scope, DEFINITIONS, "", options);
}

/** Whether a remembered definition holds for the RUNNING executions listed: each started before it was read. */
export function holdsFor(
  entry: RememberedDefinition | undefined,
  startDates: readonly (Date | undefined)[],
): entry is RememberedDefinition {
  if (!entry) return false;
  const readAt = Date.parse(entry.readAt);
  return startDates.every((d) => d !== undefined && d.getTime() < readAt);
}

function isRememberedDefinition(value: unknown): value is RememberedDefinition {
  const v = value as Partial<RememberedDefinition> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.revision === "string" &&
    typeof v.readAt === "string" &&
    !Number.isNaN(Date.parse(v.readAt)) &&
    typeof v.hasCallback === "boolean" &&
    (v.hasCallback ? typeof v.definition === "string" : v.definition === undefined)
  );
}
