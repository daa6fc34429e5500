import { commandSpec } from "./define.js";

/** `approvals destroy`. */
export const destroy = commandSpec({
  name: "destroy",
  summary: "Delete the stack and wait until it is gone",
  description: "Deletes the stack and all its resources after confirmation, and waits until CloudFormation is done.",
  examples: ["approvals destroy", "approvals destroy --yes"],
  yes: true,
});
