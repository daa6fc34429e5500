import { commandSpec } from "./define.js";

/** `approvals start`. */
export const start = commandSpec({
  name: "start",
  summary: "Start an execution with JSON input from a file or stdin",
  description:
    "Starts an execution of the stack's state machine. The input is checked first (valid JSON object, at most " +
    "256 KiB): nothing is sent when it is not. The email with the Approve and Reject links goes out at once.",
  examples: ["approvals start --input request.json", `echo '{"Comment":"deploy v2"}' | approvals start --input - --name deploy-v2`],
  json: true,
  options: {
    /** Required: a file, or `-` for stdin. */
    input: { flags: "--input <file>", help: "JSON input file, or - for stdin (at most 256 KiB)", required: true },
    /** Default: a random UUID. */
    name: { flags: "--name <name>", help: "execution name (default: a random UUID); non-ASCII is allowed" },
  },
});
