import { commandSpec } from "./define.js";

/** `approvals outputs`. */
export const outputs = commandSpec({
  name: "outputs",
  summary: "Confirm the deployed stack's outputs without deploying",
  description:
    "Reads the stack and runs the same confirmations as the end of `deploy`: both outputs, the state machine's " +
    "callback state, the Choice strings against the Email parameter, and the email subscription. Exits 1 when " +
    "one fails (a subscription still waiting for its confirmation email only warns).",
  examples: ["approvals outputs", "approvals outputs --json"],
  json: true,
});
