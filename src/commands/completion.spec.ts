import { commandSpec } from "./define.js";

/** `approvals completion`. */
export const completion = commandSpec({
  name: "completion",
  aws: false,
  args: "<shell>",
  argsHelp: "bash, zsh or fish",
  argsChoices: ["bash", "zsh", "fish"],
  summary: "Print a shell completion script (bash, zsh or fish)",
  description:
    "Prints a script that completes commands, options and the names of waiting executions (remembered from " +
    "`pending` for a minute, then refreshed in the background) in bash, zsh or fish.",
  examples: [
    "source <(approvals completion bash)                   # in ~/.bashrc",
    'approvals completion zsh > "$fpath[1]/_approvals"     # then restart zsh',
    "approvals completion fish > ~/.config/fish/completions/approvals.fish",
  ],
});
