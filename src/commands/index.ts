import type { Command } from "commander";
import type { Handler } from "../context.js";

/** One CLI command: what `--help` shows, its own options, and its handler, loaded on use. */
export interface CommandSpec {
  name: string;
  /** Positional arguments in commander syntax, e.g. `[executions...]`. */
  args?: string;
  summary: string;
  description?: string;
  examples: string[];
  /** Whether `--json` applies. */
  json?: boolean;
  /** Whether `--yes` applies. */
  yes?: boolean;
  options?: (command: Command) => void;
  // biome-ignore lint/suspicious/noExplicitAny: each handler declares its own argument and option types
  load: () => Promise<{ handler: Handler<any, any> }>;
}

const executionArg = "Execution name or ARN";

/** Every command, in the order of the workflow. */
export const commands: CommandSpec[] = [
  {
    name: "template",
    summary: "Print the bundled CloudFormation template",
    examples: ["approvals template > human-approval.yaml"],
    load: () => import("./template.js"),
  },
  {
    name: "deploy",
    summary: "Create or update the stack, then confirm its outputs",
    description:
      "Creates the stack, or updates it through a change set, passing CAPABILITY_IAM. Waits for CloudFormation, " +
      "showing each resource event, then checks the outputs, the state machine and the email subscription.",
    examples: ["approvals deploy --email ops@example.com", "approvals deploy --yes --json"],
    json: true,
    yes: true,
    options: (c) =>
      c
        .option("--email <address>", "the address that receives approval emails (required on first deploy)")
        .option("--template <file>", "deploy this template instead of the bundled one"),
    load: () => import("./deploy.js"),
  },
  {
    name: "outputs",
    summary: "Confirm the deployed stack's outputs without deploying",
    examples: ["approvals outputs", "approvals outputs --json"],
    json: true,
    load: () => import("./outputs.js"),
  },
  {
    name: "start",
    summary: "Start an execution with JSON input from a file or stdin",
    examples: ["approvals start --input request.json", `echo '{"Comment":"deploy v2"}' | approvals start --input - --name deploy-v2`],
    json: true,
    options: (c) =>
      c
        .requiredOption("--input <file>", "JSON input file, or - for stdin (at most 256 KiB)")
        .option("--name <name>", "execution name (default: a random UUID); non-ASCII is allowed"),
    load: () => import("./start.js"),
  },
  {
    name: "pending",
    summary: "List the executions waiting for a decision",
    examples: ["approvals pending", "approvals pending --links", "approvals pending --json"],
    json: true,
    options: (c) => c.option("--links", "show the Approve and Reject URLs the email carries (they contain the task token)"),
    load: () => import("./pending.js"),
  },
  {
    name: "approve",
    args: "[executions...]",
    summary: "Approve a waiting execution, as the email's Approve link does",
    examples: ["approvals approve ApprovalTest", "approvals approve ApprovalTest --yes"],
    json: true,
    yes: true,
    load: () => import("./approve.js"),
  },
  {
    name: "reject",
    args: "[executions...]",
    summary: "Reject a waiting execution, as the email's Reject link does",
    examples: ["approvals reject ApprovalTest", "approvals reject ApprovalTest --yes"],
    json: true,
    yes: true,
    load: () => import("./reject.js"),
  },
  {
    name: "fail",
    args: "[executions...]",
    summary: "Fail a waiting execution's task (SendTaskFailure)",
    examples: ['approvals fail ApprovalTest --error Cancelled --cause "request withdrawn" --yes'],
    json: true,
    yes: true,
    options: (c) =>
      c
        .requiredOption("--error <code>", "error code the execution fails with (at most 256 characters)")
        .requiredOption("--cause <text>", "human-readable cause (at most 32768 characters)"),
    load: () => import("./fail.js"),
  },
  {
    name: "show",
    args: "<execution>",
    summary: "Show an execution's status, state, input and output",
    examples: ["approvals show ApprovalTest", "approvals show ApprovalTest --json"],
    json: true,
    load: () => import("./show.js"),
  },
  {
    name: "destroy",
    summary: "Delete the stack and wait until it is gone",
    examples: ["approvals destroy", "approvals destroy --yes"],
    yes: true,
    load: () => import("./destroy.js"),
  },
];

export { executionArg };
