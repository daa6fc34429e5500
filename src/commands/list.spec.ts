import { commandSpec } from "./define.js";

/** `approvals list`. */
export const list = commandSpec({
  name: "list",
  summary: "List the stack's executions of every status, with how each ended",
  description:
    "Lists the executions of the stack's state machine, newest first: Approved, Rejected, Failed (with its error), " +
    "Timed out, Aborted or Waiting; when each was decided and how long it waited, read from its history. What was " +
    "read of an ended execution is remembered, since it never changes.",
  examples: [
    "approvals list",
    "approvals list --status rejected --since 7d",
    "approvals list --decided-by alice",
    "approvals list --limit 100 --json",
  ],
  json: true,
  options: {
    /** Default: every outcome. */
    status: { flags: "--status <outcome>", help: "only approved, rejected, failed, timed-out, aborted or waiting executions" },
    /** Default: no bound. */
    since: { flags: "--since <when>", help: "only executions started since a duration ago (30m, 12h, 7d) or a date (2026-11-30)" },
    /** Default 20. */
    limit: { flags: "--limit <n>", help: "at most this many, newest first (1 to 1000; default: 20)" },
    /** Default: whoever decided. */
    decidedBy: { flags: "--decided-by <text>", help: "only executions whose recorded DecidedBy holds this text (any case)" },
    /** Default: the stack's state machine. */
    stateMachine: {
      flags: "--state-machine <name|arn>",
      help: "any state machine's executions, with their Step Functions status (--status running, succeeded, failed, timed-out or aborted)",
    },
  },
});
