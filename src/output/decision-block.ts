import type { ChalkInstance } from "chalk";
import type { ReadBackDecision } from "../core/executions/decided-by.js";
import { classifyOutcome, outcomeLabel } from "../core/executions/outcome.js";
import type { Workflow } from "../core/workflow/definition.js";
import { safeBlock, safeText } from "../lib/safe-text.js";

/**
 * `show`'s decision block: the outcome, who decided, through which door, why, and when, as the
 * decision recorded them. A decision without a record (made before records, or by another tool)
 * says what is known. Everything but the labels is untrusted (whoever sent the decision wrote it);
 * `redact` takes out any task token copied into it.
 */
export function decisionLines(
  decision: ReadBackDecision,
  workflow: Pick<Workflow, "approvedStatus" | "rejectedStatus">,
  style: ChalkInstance,
  redact: (text: string) => string,
): string[] {
  const end =
    decision.kind === "succeeded"
      ? { status: "SUCCEEDED", output: JSON.stringify({ Status: decision.status ?? undefined }) }
      : { status: "FAILED", error: decision.error ?? undefined };
  const field = (label: string, text: string) => `  ${label.padEnd(9)} ${text.replace(/\n/g, "\n            ")}`;
  const clean = (text: string) => safeBlock(redact(text));
  const recorded = decision.decidedBy !== null || decision.decisionId !== null;
  const by = recorded
    ? clean(decision.decidedBy ?? "not recorded")
    : decision.namedEmail
      ? `not recorded; the payload names ${safeText(redact(decision.namedEmail))}`
      : "not recorded";
  return [
    style.bold("Decision"),
    field("outcome", safeText(redact(outcomeLabel(classifyOutcome(end, workflow))))),
    field("by", recorded ? by : style.dim(by)),
    field("via", decision.via !== null ? clean(decision.via) : style.dim("not recorded")),
    ...(decision.reason !== null ? [field("reason", clean(decision.reason))] : []),
    ...(decision.kind === "failed" && decision.cause !== null ? [field("cause", clean(decision.cause))] : []),
    ...(decision.decidedAt ? [field("when", decision.decidedAt)] : []),
  ];
}
