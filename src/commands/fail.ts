import type { HandlerOf } from "./define.js";
import { runVerdict } from "./verdict.js";
import type { fail } from "./verdict.spec.js";

/** `approvals fail`: see {@link runVerdict}. */
export const handler: HandlerOf<typeof fail> = (ctx, [names], options) => runVerdict(ctx, "fail", names, options);
