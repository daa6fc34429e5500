import type { Context } from "../../context.js";
import { awsErrorName, toUserError, UsageError } from "../../errors.js";
import { openWorkflow } from "../workflow/open.js";
import { executionName } from "./names.js";

/** An execution just started. */
export interface StartedExecution {
  name: string;
  executionArn: string;
  startDate: string | undefined;
}

/** `start`'s use case: start an execution of the stack's state machine with checked JSON input. */
export async function startExecution(ctx: Context, request: { name: string; input: string }): Promise<StartedExecution> {
  const { name, input } = request;
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
        error,
      );
    }
    throw toUserError(error, "Starting the execution");
  }
  const executionArn = started.executionArn ?? "";
  return { name: executionName(executionArn) || name, executionArn, startDate: started.startDate?.toISOString() };
}
