// Which stack, in which account and region, a run is about, as its command line and environment say:
// shell completion and the suggested commands repeat it; what is remembered between runs is keyed by core/store.ts.
import { endpointOf } from "../aws/conventions.js";
import { DEFAULT_STACK_NAME } from "../settings.js";

/** Which stack, in which account and region: as the command line and environment say. */
export interface WaitingScope {
  stackName: string;
  region?: string;
  profile?: string;
  endpoint?: string;
}

/** The options of a command line that choose the scope; env supplies what they leave unset, as the SDK would. */
export function scopeOf(
  options: { stackName?: string; region?: string; profile?: string; endpointUrl?: string },
  env: NodeJS.ProcessEnv,
): WaitingScope {
  return {
    stackName: options.stackName ?? DEFAULT_STACK_NAME,
    region: options.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined),
    profile: options.profile ?? (env.AWS_PROFILE || undefined),
    endpoint: endpointOf(options.endpointUrl, env),
  };
}
