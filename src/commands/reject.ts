import type { HandlerOf } from "./define.js";
import { runVerdict } from "./verdict.js";
import type { reject } from "./verdict.spec.js";

/** `approvals reject`: see {@link runVerdict}. */
export const handler: HandlerOf<typeof reject> = (ctx, [names], options) => runVerdict(ctx, "reject", names, options);
