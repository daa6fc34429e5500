import { randomUUID } from "node:crypto";
import type { Handler } from "../context.js";
import { executionName, validateExecutionName } from "../core/executions/names.js";
import { readExecutionInput } from "../core/input.js";
import { openWorkflow } from "../core/workflow/open.js";
import { awsErrorName, toUserError, UsageError } from "../errors.js";

interface StartOptions {
  /** `--input <file|->`: required. */
  input: string;
  /** `--name`: default a random UUID, as the console does. */
  name?: string;
}

/** `approvals start`: start an execution with validated JSON input. */
export const handler: Handler<[], StartOptions> = async (ctx, _args, options) => {
  // Everything local is checked before the first request.
  if (options.name !== undefined) validateExecutionName(options.name);
  const input = await readExecutionInput(options.input, ctx.out.streams.stdin);
  const name = options.name ?? randomUUID();

  const { sfn, stateMachineArn } = await openWorkflow(ctx);
  const { StartExecutionCommand } = await import("@aws-sdk/client-sfn");
  let started: { executionArn?: string; startDate?: Date };
  try {
    started = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  } catch (error) {
    if (awsErrorName(error) === "ExecutionAlreadyExists") {
      // Also answered for a finished execution of that name, whatever its input.
      throw new UsageError(
        `An execution named ${name} already exists in this state machine.`,
        "Choose another --name: names stay taken for 90 days after an execution ends.",
      );
    }
    throw toUserError(error, "Starting the execution");
  }
  const executionArn = started.executionArn ?? "";
  const result = { name: executionName(executionArn) || name, executionArn, startDate: started.startDate?.toISOString() };
  if (ctx.out.json) {
    ctx.out.jsonResult(result);
  } else {
    ctx.out.result(`Started ${result.name}`);
    ctx.out.result(`  ${executionArn}`);
    ctx.out.info(ctx.out.style.dim("Next: approvals pending"));
  }
  return 0;
};
