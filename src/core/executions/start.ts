import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import type { Context } from "../../context.js";
import { type ApprovalsError, amend, awsErrorName, refusedAtOnce, UsageError } from "../../errors.js";
import { operand, type Scope, suggestCommand } from "../suggest.js";
import { openWorkflow } from "../workflow/open.js";
import { SETTLE_READ_MS } from "./lost-reply.js";
import { executionArnOf, executionName } from "./names.js";

/** An execution just started. */
export interface StartedExecution {
  name: string;
  executionArn: string;
  startDate: string | undefined;
  /** Set when StartExecution's answer was lost but the execution exists, with this input. */
  replyLost?: boolean;
}

/**
 * `start`'s use case: start an execution of the stack's state machine with checked JSON input.
 * The name is always sent, so that when the answer is lost DescribeExecution can tell whether it started.
 */
export async function startExecution(ctx: Context, request: { name: string; input: string }): Promise<StartedExecution> {
  const { name, input } = request;
  const { sfn, stateMachineArn } = await openWorkflow(ctx);
  let started: { executionArn?: string; startDate?: Date };
  try {
    started = await ctx.inFlight.track(`the start of ${name}`, () => sfn.startExecution({ stateMachineArn, name, input }));
  } catch (error) {
    const definite = refusedAtOnce(error);
    if (definite && awsErrorName(error) === "ExecutionAlreadyExists") throw alreadyExists(name, error);
    const failure = toUserError(error, "Starting the execution");
    if (definite) throw failure;
    return settleLostStart(ctx, sfn, stateMachineArn, request, failure);
  }
  const executionArn = started.executionArn ?? "";
  return { name: executionName(executionArn) || name, executionArn, startDate: started.startDate?.toISOString() };
}

function alreadyExists(name: string, error: unknown): UsageError {
  // Also answered for a finished execution of that name, whatever its input.
  return new UsageError(
    `An execution named ${name} already exists in this state machine.`,
    "Choose another --name: names stay taken for 90 days after an execution ends.",
    error,
  );
}

/** The answer to StartExecution was lost: does an execution of that name exist, with this input? */
async function settleLostStart(
  scope: Scope,
  sfn: StepFunctions,
  stateMachineArn: string,
  request: { name: string; input: string },
  failure: ApprovalsError,
): Promise<StartedExecution> {
  const { name, input } = request;
  const executionArn = executionArnOf(stateMachineArn, name);
  let found: { input?: string; startDate?: Date } | undefined;
  try {
    found = await sfn.describeExecution(executionArn, { abortSignal: AbortSignal.timeout(SETTLE_READ_MS) });
  } catch (error) {
    if (awsErrorName(error) === "ExecutionDoesNotExist") {
      throw amend(failure, { append: `No execution named ${name} exists: it was not started.` });
    }
    throw amend(failure, {
      append: `It may have started all the same, and it could not be checked: run \`${suggestCommand(scope, ["show", operand(name)])}\` before starting it again.`,
    });
  }
  if (found.input !== input) throw alreadyExists(name, failure);
  return { name, executionArn, startDate: found.startDate?.toISOString(), replyLost: true };
}
