import type { PendingExecution } from "../core/executions/waiting.js";
import type { ApprovalLinks } from "../core/workflow/email.js";

/** One entry of `pending --json`; `links` only when asked for (they carry the task token). */
export function pendingJson(p: PendingExecution, links?: ApprovalLinks): Record<string, unknown> {
  return {
    name: p.name,
    executionArn: p.executionArn,
    startDate: p.startDate.toISOString(),
    waitingSince: p.waitingSince.toISOString(),
    expiresAt: p.expiresAt?.toISOString() ?? null,
    input: parseInput(p.input),
    ...(links ? { links } : {}),
  };
}

function parseInput(input: string | undefined): unknown {
  if (input === undefined) return null;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}
