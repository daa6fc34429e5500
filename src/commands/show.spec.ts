import { commandSpec } from "./define.js";

/** `approvals show`. */
export const show = commandSpec({
  name: "show",
  args: "<execution>",
  summary: "Show an execution's status, its path through the workflow and its timeline",
  description:
    "Prints the execution's status, input and output or error; draws the deployed state machine with the " +
    "states it visited, the one it is in and the branch it took; then lists its history events. Task tokens " +
    "are never shown.",
  examples: ["approvals show ApprovalTest", "approvals show ApprovalTest --json", "approvals show order-17 --state-machine OrderApproval"],
  json: true,
  options: {
    /** Default: the stack's state machine. */
    stateMachine: {
      flags: "--state-machine <name|arn>",
      help: "an execution of any state machine: its waiting tasks, their branches and the output each sends",
    },
  },
});
