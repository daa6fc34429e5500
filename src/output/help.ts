/** The program's description at the top of `approvals --help`. */
export const PROGRAM_DESCRIPTION =
  "Run the AWS Step Functions human-approval workflow from the terminal: deploy the stack, start " +
  "executions, see what waits for a decision, approve or reject it as the email's links do, and see " +
  "where each execution went.";

/** The exit codes, as every `--help` ends with them. */
const EXIT_CODES_HELP = `Exit codes:
  0    done
  1    failed at AWS, a confirmation declined, or unexpected error
  2    usage or invalid input: nothing was sent
  3    not found, or not waiting for a decision
  130  interrupted (Ctrl-C)`;

/**
 * What `approvals --help` shows after the command list: the workflow in order, which commands take
 * the AWS options (`local` names those that never call AWS), output and exit codes.
 */
export function programHelpAfter(local: readonly string[]): string {
  const except = local.length ? ` (all but ${local.join(" and ")})` : "";
  return `
The workflow, in order:
  1. approvals deploy --email you@example.com  create the stack
  2. approvals start --input request.json      start an execution (email sent)
  3. approvals pending                         list what waits for a decision
  4. approvals approve <name>                  or reject, or fail it
     approvals remind --older-than 2h          email the approvers what still waits
  5. approvals show <name>                     its path, branch and history
     approvals destroy                         delete the stack when done

Commands that call AWS${except} take --stack-name
(default human-approval), --region, --profile and --endpoint-url. Every
command takes --debug and --no-color: see \`approvals <command> --help\`.

Results go to stdout; progress, prompts and errors to stderr; --json prints one
JSON document. Colour and spinners only on a terminal: none in a pipe, with
NO_COLOR or --no-color; FORCE_COLOR forces colour.

${EXIT_CODES_HELP}
`;
}

/** What each command's `--help` ends with: its examples, then the exit codes. */
export function commandHelpAfter(examples: readonly string[]): string {
  return `\nExamples:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n\n${EXIT_CODES_HELP}\n`;
}
