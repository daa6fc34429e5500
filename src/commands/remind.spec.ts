import { commandSpec } from "./define.js";

/** `approvals remind`. */
export const remind = commandSpec({
  name: "remind",
  args: "[executions...]",
  summary: "Send the approvers one reminder of what waits, with the email's links",
  description:
    "Publishes one message to the stack's SNS topic (the one the approval email went through) listing each waiting " +
    "execution picked: its name, how long it has waited, the time left, its Comment and the same Approve and Reject links " +
    "as the email. With none named, every waiting execution. Shows the names and the topic's confirmed subscribers and " +
    "asks first, unless --yes. Links and tokens go only into the message, never to the terminal or --json.",
  examples: [
    "approvals remind",
    "approvals remind --older-than 2h --yes",
    "approvals remind build-17 build-18 --json --yes",
    "approvals remind --topic arn:aws:sns:us-east-1:123456789012:approvers",
  ],
  json: true,
  yes: true,
  options: {
    /** Default: every waiting execution, however long it has waited. */
    olderThan: {
      flags: "--older-than <duration>",
      help: "only executions waiting at least this long (30m, 2h, 1d; default: every one)",
    },
    /** Default: the stack's topic. */
    topic: { flags: "--topic <arn>", help: "publish to this SNS topic instead of the stack's" },
  },
});
