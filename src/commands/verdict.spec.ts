// approve, reject and fail share their options: these groups are spread into each spec, in the order
// `--help` lists them.
import type { CommonOptions } from "./common.spec.js";
import { commandSpec } from "./define.js";
import type { OptionsOf } from "./option-types.js";

/** `--wait` and its bound. */
export const waitOptions = {
  /** Default false: report the decision sent and exit. */
  wait: { flags: "--wait", help: "follow each execution to its end and print the branch it took" },
  /** Default 300 seconds; only with `--wait`. */
  waitTimeout: { flags: "--wait-timeout <seconds>", help: "give up waiting after this long (default: 300)" },
} as const;

/** `--wait`, the picker's `--all-stacks`, and any state machine's task. */
export const verdictOptions = {
  ...waitOptions,
  /** Default false: the picker offers the stack of `--stack-name` only. */
  allStacks: {
    flags: "--all-stacks",
    help: "with no execution named, pick from every human-approval stack in the region (names of other stacks: <stack>/<execution>)",
  },
  /** Default: the stack's state machine (see `verdict-machine.ts`). */
  stateMachine: {
    flags: "--state-machine <name|arn>",
    help: "an execution of any state machine with a callback task, instead of the stack's",
  },
  /** Default: the one task that waits (a terminal picks when several do). */
  task: {
    flags: "--task <state>",
    help: "with --state-machine: the task to decide when several wait (its state name; Name[i] for a Map iteration)",
  },
} as const;

/** approve and reject: the reason recorded with the decision, or the email's payload alone. */
export const recordOptions = {
  ...verdictOptions,
  /** Default none (reject asks at a terminal). */
  reason: { flags: "--reason <text>", help: "why, recorded with the decision (at most 2000 characters; reject asks at a terminal)" },
  /** Default false: the payload carries who decided. */
  exactPayload: {
    flags: "--exact-payload",
    help: 'send the email\'s {"Status": ...} alone, without who decided (for a workflow that compares the whole output)',
  },
} as const;

/** fail: the error and cause sent with SendTaskFailure. */
export const failureOptions = {
  /** Required. */
  error: { flags: "--error <code>", help: "error code the execution fails with (at most 256 characters)", required: true },
  /** Default none. */
  cause: { flags: "--cause <text>", help: "human-readable cause (at most 32768 characters; default: none)" },
  /** Default false: the cause is recorded as JSON with who decided. */
  exactPayload: { flags: "--exact-payload", help: "send the cause as given, without who decided" },
  ...verdictOptions,
} as const;

/** What approve, reject and fail may be given; each command's spec says which of them it takes. */
export type VerdictOptions = Partial<OptionsOf<typeof recordOptions> & OptionsOf<typeof failureOptions>> & CommonOptions;

/** `approvals approve`. */
export const approve = commandSpec({
  name: "approve",
  args: "[executions...]",
  summary: "Approve a waiting execution, as the email's Approve link does",
  description:
    "Sends SendTaskSuccess with the Approve link's Status to each execution named, and beside it who decided (your " +
    "ARN, from STS), through which door, your --reason and a fresh DecisionId. With none named, at a terminal, lets " +
    "you pick from the executions waiting. Shows the payload and asks first, unless --yes.",
  examples: [
    "approvals approve ApprovalTest",
    "approvals approve build-17 build-18 --yes --wait",
    "approvals approve                      # pick from the waiting executions",
    "approvals approve billing/build-17     # an execution of stack billing",
    'approvals approve build-17 --reason "release notes checked"',
  ],
  json: true,
  yes: true,
  options: recordOptions,
});

/** `approvals reject`. */
export const reject = commandSpec({
  name: "reject",
  args: "[executions...]",
  summary: "Reject a waiting execution, as the email's Reject link does",
  description:
    "Sends SendTaskSuccess with the Reject link's Status to each execution named, and beside it who decided, through " +
    "which door, why (--reason; at a terminal it asks) and a fresh DecisionId. With none named, at a terminal, lets " +
    "you pick from the executions waiting. Shows the payload and asks first, unless --yes.",
  examples: ['approvals reject ApprovalTest --reason "wrong build"', "approvals reject ApprovalTest --yes --wait"],
  json: true,
  yes: true,
  options: recordOptions,
});

/** `approvals fail`. */
export const fail = commandSpec({
  name: "fail",
  args: "[executions...]",
  summary: "Fail a waiting execution's task (SendTaskFailure)",
  description:
    "Sends SendTaskFailure with your error code and, optionally, a cause: the execution ends FAILED without taking either " +
    'branch. The cause is recorded as JSON with who decided ({"Cause": ..., "DecidedBy": ...}); --exact-payload ' +
    "sends it as given. With no execution named, at a terminal, lets you pick from the executions waiting.",
  examples: ['approvals fail ApprovalTest --error Cancelled --cause "request withdrawn" --yes'],
  json: true,
  yes: true,
  options: failureOptions,
});
