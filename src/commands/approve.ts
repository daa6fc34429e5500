import type { HandlerOf } from "./define.js";
import { runVerdict } from "./verdict.js";
import type { approve } from "./verdict.spec.js";

/** `approvals approve`: see {@link runVerdict}. */
export const handler: HandlerOf<typeof approve> = (ctx, [names], options) => runVerdict(ctx, "approve", names, options);
