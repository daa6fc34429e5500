import { commandSpec } from "./define.js";

/** `approvals pending`. */
export const pending = commandSpec({
  name: "pending",
  summary: "List the executions waiting for a decision",
  description:
    "Lists the running executions waiting at the callback state, newest first: when each started, how long it " +
    "has waited, the time left before the state machine's timeout ends it, and its input's Comment.",
  examples: [
    "approvals pending",
    "approvals pending --links",
    "approvals pending --all-stacks",
    "approvals pending --json",
    "approvals pending --watch --bell",
    "approvals pending --state-machine OrderApproval",
    "approvals pending --all-state-machines",
  ],
  json: true,
  options: {
    /** Default false: the URLs carry the task token. */
    links: { flags: "--links", help: "show the Approve and Reject URLs the email carries (they contain the task token)" },
    /** Default false: the stack of `--stack-name` only. */
    allStacks: { flags: "--all-stacks", help: "every human-approval stack in the region, in one table with a STACK column" },
    /** Default: the stack's own state machine. */
    stateMachine: {
      flags: "--state-machine <name|arn>",
      help: "any state machine with a callback task, instead of the stack's: one row per waiting task",
    },
    /** Default false. */
    allStateMachines: {
      flags: "--all-state-machines",
      help: "every state machine in the region whose definition has a callback task, one row per waiting task",
    },
    /** Default true: what earlier runs read is reused. */
    cache: { flags: "--no-cache", help: "read every waiting execution's history instead of reusing what earlier runs saw" },
    /** Default false: list once. */
    watch: { flags: "--watch", help: "keep listing: redraw at a terminal, one line per change in a pipe; Ctrl-C stops" },
    /** Default 10 seconds; at least 2. */
    interval: { flags: "--interval <seconds>", help: "with --watch: seconds between refreshes (at least 2; default: 10)" },
    /** Default false. */
    bell: { flags: "--bell", help: "with --watch at a terminal: ring the bell when an execution starts waiting" },
  },
});
