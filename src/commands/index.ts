import { Argument, type Command } from "commander";
import type { Handler } from "./context.js";

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
  /** False for commands that never call AWS: they take no stack, region, profile or endpoint. Default true. */
  aws?: boolean;
  options?: (command: Command) => void;
  // biome-ignore lint/suspicious/noExplicitAny: each handler declares its own argument and option types
  load: () => Promise<{ handler: Handler<any, any> }>;
}

const executionArg = "Execution name or ARN";

/** `--wait` and its bound, shared by approve, reject and fail. */
function waitOptions(command: Command): Command {
  return command
    .option("--wait", "follow each execution to its end and print the branch it took")
    .option("--wait-timeout <seconds>", "give up waiting after this long (default: 300)");
}

/** Options of approve, reject and fail: `--wait`, the picker's `--all-stacks`, and any state machine's task. */
function verdictOptions(command: Command): Command {
  return waitOptions(command)
    .option(
      "--all-stacks",
      "with no execution named, pick from every human-approval stack in the region (names of other stacks: <stack>/<execution>)",
    )
    .option("--state-machine <name|arn>", "an execution of any state machine with a callback task, instead of the stack's")
    .option("--task <state>", "with --state-machine: the task to decide when several wait (its state name; Name[i] for a Map iteration)");
}

/** approve and reject: the reason recorded with the decision, or the email's payload alone. */
function recordOptions(command: Command): Command {
  return verdictOptions(command)
    .option("--reason <text>", "why, recorded with the decision (at most 2000 characters; reject asks at a terminal)")
    .option(
      "--exact-payload",
      'send the email\'s {"Status": ...} alone, without who decided (for a workflow that compares the whole output)',
    );
}

/** Every command, in the order of the workflow. */
export const commands: CommandSpec[] = [
  {
    name: "template",
    aws: false,
    summary: "Print the bundled CloudFormation template",
    description:
      "Prints the human-approval template that `deploy` uses: the API, the two Lambda functions, the SNS topic and " +
      "the state machine. Save it to read or change it, then deploy it with `deploy --template <file>`.",
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
    description:
      "Reads the stack and runs the same confirmations as the end of `deploy`: both outputs, the state machine's " +
      "callback state, the Choice strings against the Email parameter, and the email subscription. Exits 1 when " +
      "one fails (a subscription still waiting for its confirmation email only warns).",
    examples: ["approvals outputs", "approvals outputs --json"],
    json: true,
    load: () => import("./outputs.js"),
  },
  {
    name: "start",
    summary: "Start an execution with JSON input from a file or stdin",
    description:
      "Starts an execution of the stack's state machine. The input is checked first (valid JSON object, at most " +
      "256 KiB): nothing is sent when it is not. The email with the Approve and Reject links goes out at once.",
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
    options: (c) =>
      c
        .option("--links", "show the Approve and Reject URLs the email carries (they contain the task token)")
        .option("--all-stacks", "every human-approval stack in the region, in one table with a STACK column")
        .option("--state-machine <name|arn>", "any state machine with a callback task, instead of the stack's: one row per waiting task")
        .option("--all-state-machines", "every state machine in the region whose definition has a callback task, one row per waiting task")
        .option("--no-cache", "read every waiting execution's history instead of reusing what earlier runs saw")
        .option("--watch", "keep listing: redraw at a terminal, one line per change in a pipe; Ctrl-C stops")
        .option("--interval <seconds>", "with --watch: seconds between refreshes (at least 2; default: 10)")
        .option("--bell", "with --watch at a terminal: ring the bell when an execution starts waiting"),
    load: () => import("./pending.js"),
  },
  {
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
    load: () => import("./approve.js"),
  },
  {
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
    load: () => import("./reject.js"),
  },
  {
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
    options: (c) =>
      verdictOptions(
        c
          .requiredOption("--error <code>", "error code the execution fails with (at most 256 characters)")
          .option("--cause <text>", "human-readable cause (at most 32768 characters; default: none)")
          .option("--exact-payload", "send the cause as given, without who decided"),
      ),
    load: () => import("./fail.js"),
  },
  {
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
    options: (c) =>
      c
        .option("--state-machine <name|arn>", "the state machine the execution belongs to (default: the stack's, --stack-name)")
        .option("--to <state>", "the state the answer must take the workflow to")
        .option("--output <json>", "send exactly this JSON instead (no --to needed)")
        .option("--task <state>", "the task to answer when several wait (its state name; Name[i] for a Map iteration)"),
    load: () => import("./decide.js"),
  },
  {
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
    options: (c) =>
      c
        .option("--older-than <duration>", "only executions waiting at least this long (30m, 2h, 1d; default: every one)")
        .option("--topic <arn>", "publish to this SNS topic instead of the stack's"),
    load: () => import("./remind.js"),
  },
  {
    name: "show",
    args: "<execution>",
    summary: "Show an execution's status, its path through the workflow and its timeline",
    description:
      "Prints the execution's status, input and output or error; draws the deployed state machine with the " +
      "states it visited, the one it is in and the branch it took; then lists its history events. Task tokens " +
      "are never shown.",
    examples: [
      "approvals show ApprovalTest",
      "approvals show ApprovalTest --json",
      "approvals show order-17 --state-machine OrderApproval",
    ],
    json: true,
    options: (c) =>
      c.option(
        "--state-machine <name|arn>",
        "an execution of any state machine: its waiting tasks, their branches and the output each sends",
      ),
    load: () => import("./show.js"),
  },
  {
    name: "list",
    summary: "List the stack's executions of every status, with how each ended",
    description:
      "Lists the executions of the stack's state machine, newest first: Approved, Rejected, Failed (with its error), " +
      "Timed out, Aborted or Waiting; when each was decided and how long it waited, read from its history. What was " +
      "read of an ended execution is remembered, since it never changes.",
    examples: [
      "approvals list",
      "approvals list --status rejected --since 7d",
      "approvals list --decided-by alice",
      "approvals list --limit 100 --json",
    ],
    json: true,
    options: (c) =>
      c
        .option("--status <outcome>", "only approved, rejected, failed, timed-out, aborted or waiting executions")
        .option("--since <when>", "only executions started since a duration ago (30m, 12h, 7d) or a date (2026-11-30)")
        .option("--limit <n>", "at most this many, newest first (1 to 1000; default: 20)")
        .option("--decided-by <text>", "only executions whose recorded DecidedBy holds this text (any case)")
        .option(
          "--state-machine <name|arn>",
          "any state machine's executions, with their Step Functions status (--status running, succeeded, failed, timed-out or aborted)",
        ),
    load: () => import("./list.js"),
  },
  {
    name: "destroy",
    summary: "Delete the stack and wait until it is gone",
    description: "Deletes the stack and all its resources after confirmation, and waits until CloudFormation is done.",
    examples: ["approvals destroy", "approvals destroy --yes"],
    yes: true,
    load: () => import("./destroy.js"),
  },
  {
    name: "completion",
    aws: false,
    summary: "Print a shell completion script (bash, zsh or fish)",
    description:
      "Prints a script that completes commands, options and the names of waiting executions (remembered from " +
      "`pending` for a minute, then refreshed in the background) in bash, zsh or fish.",
    examples: [
      "source <(approvals completion bash)                   # in ~/.bashrc",
      'approvals completion zsh > "$fpath[1]/_approvals"     # then restart zsh',
      "approvals completion fish > ~/.config/fish/completions/approvals.fish",
    ],
    options: (c) => c.addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"])),
    load: () => import("./completion.js"),
  },
];

export { executionArg };
