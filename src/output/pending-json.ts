import type { PendingExecution } from "../core/executions/waiting.js";
import type { ApprovalLinks } from "../core/workflow/email.js";
import { jsonOrText } from "../lib/json.js";

/** One entry of `pending --json`; `links` only when asked for (they carry the task token). */
export function pendingJson(p: PendingExecution, links?: ApprovalLinks): Record<string, unknown> {
  return {
    name: p.name,
    executionArn: p.executionArn,
    startDate: p.startDate.toISOString(),
    waitingSince: p.waitingSince.toISOString(),
    expiresAt: p.expiresAt?.toISOString() ?? null,
    input: jsonOrText(p.input),
    ...(links ? { links } : {}),
  };
}
