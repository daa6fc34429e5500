import { InterruptedError } from "../../errors.js";
import { operand, type Scope, suggestCommand } from "../suggest.js";
import type { Reported } from "./open-batches.js";

/** What a rest command repeats of the request that was cut short. */
export interface RepeatedRequest {
  kind: "approve" | "reject" | "fail";
  reason?: string;
  exactPayload?: boolean;
  error?: string;
  cause?: string;
}

/**
 * Ctrl-C cut a batch of decisions short: how many were sent, and the command that sends the rest (the
 * same stack, flags, reason and, for fail, the same error and cause). Exit 130.
 */
export function interruptedBatch(scope: Scope, outcomes: readonly Reported[], request: RepeatedRequest): InterruptedError {
  const sent = outcomes.filter((o) => o.sent).length;
  const skipped = outcomes.filter((o) => o.interrupted).map((o) => (o.stack ? `${o.stack}/${o.name}` : o.name));
  const { kind } = request;
  const flags = [
    ...(kind === "fail" && request.error !== undefined ? ["--error", request.error] : []),
    ...(kind === "fail" && request.cause !== undefined ? ["--cause", request.cause] : []),
    ...(kind !== "fail" && request.reason ? ["--reason", request.reason] : []),
    ...(request.exactPayload ? ["--exact-payload"] : []),
  ];
  return new InterruptedError(
    `Interrupted: ${sent} of ${outcomes.length} decision${outcomes.length === 1 ? "" : "s"} sent, ${skipped.length} not sent.`,
    skipped.length ? `Send the rest with \`${suggestCommand(scope, [kind, ...skipped.map(operand), ...flags])}\`.` : undefined,
  );
}
