// Who decided, through which door, and why, carried in the decision itself. The history of an
// execution holds no caller: `TaskSucceeded` records only the output and `TaskFailed` the error and
// cause. So `approve`/`reject` send the email's `Status` unchanged (the Choice routes on it) with the
// record beside it, and `fail` wraps the operator's cause in a small JSON document that a Catch reads
// with `States.StringToJson($.Cause).Cause` (JSONPath) or `$parse($states.errorOutput.Cause).Cause`
// (JSONata). CloudTrail, not this record, is the proof of who called SendTaskSuccess (docs/security.md).

/** The doors a decision comes through. */
export const VIA_CLI = "approvals CLI";
export const VIA_PAGE = "approval page";

/** Step Functions' limits on a decision's parts, in characters. */
export const OUTPUT_LIMIT = 262_144;
export const CAUSE_LIMIT = 32_768;
/** The longest reason the CLI takes (the page takes 500). */
export const REASON_LIMIT = 2_000;

/** Who decided, through which door, why, and the decision's own id. */
export interface DecisionRecord {
  /** The caller's ARN as STS GetCallerIdentity named it (the page: who holds the link, honestly put). */
  decidedBy: string;
  via: string;
  reason?: string;
  decisionId: string;
}

/** The output of `approve`/`reject`: `{"Status": ...}` first, unchanged, then the record. */
export function recordedOutput(status: string, record: DecisionRecord): string {
  return JSON.stringify({
    Status: status,
    DecidedBy: record.decidedBy,
    Via: record.via,
    ...(record.reason ? { Reason: record.reason } : {}),
    DecisionId: record.decisionId,
  });
}

/** The cause of `fail`: the operator's cause (when given) under `Cause`, then the record. */
export function recordedCause(cause: string | undefined, record: DecisionRecord): string {
  return JSON.stringify({
    ...(cause !== undefined ? { Cause: cause } : {}),
    DecidedBy: record.decidedBy,
    Via: record.via,
    DecisionId: record.decisionId,
  });
}

/** What a decision in history says of itself: the record when it carries one, and its payload's words. */
export interface ReadDecision {
  /** The `Status` it sent (approve/reject), when it has one. */
  status?: string;
  /** The operator's cause (fail), unwrapped from the record when there is one. */
  cause?: string;
  /** The record, or undefined for a decision made before records, or by another tool. */
  record?: Partial<DecisionRecord>;
}

/** Read a `TaskSucceeded` output (approve/reject): its Status and, when present, the record beside it. */
export function readOutput(output: string | undefined): ReadDecision {
  const doc = parseObject(output);
  if (!doc) return {};
  const status = typeof doc.Status === "string" ? doc.Status : undefined;
  return { status, record: recordOf(doc) };
}

/** Read a `TaskFailed` cause (fail): the operator's words, and the record when the CLI wrapped them. */
export function readCause(cause: string | undefined): ReadDecision {
  const doc = parseObject(cause);
  const record = doc ? recordOf(doc) : undefined;
  if (!doc || !record) return { cause };
  return { cause: typeof doc.Cause === "string" ? doc.Cause : undefined, record };
}

/** The decision id a recorded output or cause carries, if any. */
export function decisionIdOf(text: string | undefined): string | undefined {
  const doc = parseObject(text);
  return typeof doc?.DecisionId === "string" ? doc.DecisionId : undefined;
}

/** A record only when it names the decision and who made it; every field a string. */
function recordOf(doc: Record<string, unknown>): Partial<DecisionRecord> | undefined {
  const text = (key: string) => (typeof doc[key] === "string" ? (doc[key] as string) : undefined);
  const record = { decidedBy: text("DecidedBy"), via: text("Via"), reason: text("Reason"), decisionId: text("DecisionId") };
  if (record.decidedBy === undefined && record.decisionId === undefined) return undefined;
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The short name of who decided, for a table column: an assumed role's session name, a user's name,
 * the account root; the page's record as it is. The whole ARN stays in `--json`.
 */
export function shortDecidedBy(decidedBy: string): string {
  const arn = /^arn:aws[\w-]*:(?:sts|iam)::(\d{12}):(.+)$/.exec(decidedBy);
  if (!arn) return decidedBy;
  const [, account, resource = ""] = arn;
  if (resource === "root") return `root (${account})`;
  const parts = resource.split("/");
  return parts.at(-1) || resource;
}
