import type { Handler } from "./context.js";
import { runVerdict, type VerdictOptions } from "./verdict.js";

/** `approvals reject`: see {@link runVerdict}. */
export const handler: Handler<[string[]], VerdictOptions> = (ctx, [names], options) => runVerdict(ctx, "reject", names ?? [], options);
