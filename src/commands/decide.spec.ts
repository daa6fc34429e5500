import { commandSpec } from "./define.js";

/** `approvals decide`. */
export const decide = commandSpec({
  name: "decide",
  args: "<execution>",
  summary: "Answer a waiting task of any state machine with the output that routes to a state",
  description:
    "Reads the definition the execution runs on, finds its waiting task, works out from the Choice after it the output " +
    "that takes the workflow to --to, and sends it with SendTaskSuccess. --output sends exactly what is given instead. " +
    "Where nothing routes on the answer, or the branch cannot be solved for certain, it shows the state it read and sends nothing (exit 2). " +
    "Shows the output and asks first, unless --yes.",
  examples: [
    "approvals decide order-17 --to Approved --state-machine OrderApproval",
    "approvals decide ApprovalTest --to RejectedPassState          # the stack's workflow",
    "approvals decide order-17 --to FinanceApproved --task Finance --state-machine OrderApproval --yes",
    `approvals decide order-17 --output '{"approved":true}' --state-machine OrderApproval`,
  ],
  json: true,
  yes: true,
  options: {
    /** Default: the stack's state machine (`--stack-name`). */
    stateMachine: {
      flags: "--state-machine <name|arn>",
      help: "the state machine the execution belongs to (default: the stack's, --stack-name)",
    },
    /** One of `--to` and `--output` is needed. */
    to: { flags: "--to <state>", help: "the state the answer must take the workflow to" },
    /** Sent exactly as given, instead of what `--to` routes to. */
    output: { flags: "--output <json>", help: "send exactly this JSON instead (no --to needed)" },
    /** Default: the one task that waits (a terminal picks when several do). */
    task: { flags: "--task <state>", help: "the task to answer when several wait (its state name; Name[i] for a Map iteration)" },
  },
});
