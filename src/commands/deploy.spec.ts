import { commandSpec } from "./define.js";

/** `approvals deploy`. */
export const deploy = commandSpec({
  name: "deploy",
  summary: "Create or update the stack, then confirm its outputs",
  description:
    "Creates the stack, or updates it through a change set, passing CAPABILITY_IAM. Waits for CloudFormation, " +
    "showing each resource event, then checks the outputs, the state machine and the email subscription.",
  examples: ["approvals deploy --email ops@example.com", "approvals deploy --yes --json"],
  json: true,
  yes: true,
  options: {
    /** Default: the stack's Email parameter, asked for at a terminal on the first deploy. */
    email: { flags: "--email <address>", help: "the address that receives approval emails (required on first deploy)" },
    /** Default: the bundled template. */
    template: { flags: "--template <file>", help: "deploy this template instead of the bundled one" },
  },
});
