import { commandSpec } from "./define.js";

/** `approvals template`. */
export const template = commandSpec({
  name: "template",
  aws: false,
  summary: "Print the bundled CloudFormation template",
  description:
    "Prints the human-approval template that `deploy` uses: the API, the two Lambda functions, the SNS topic and " +
    "the state machine. Save it to read or change it, then deploy it with `deploy --template <file>`.",
  examples: ["approvals template > human-approval.yaml"],
});
