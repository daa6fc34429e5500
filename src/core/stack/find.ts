import type { CloudFormation, Stack } from "../../aws/cloudformation.js";
import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import { awsErrorName, NotFoundError } from "../../errors.js";
import { placeholder, type Scope, suggestCommand } from "../suggest.js";
import { parseWorkflow, type Workflow } from "../workflow/definition.js";

/** The outputs the template declares and every command relies on. */
export const REQUIRED_OUTPUTS = ["ApiGatewayInvokeURL", "StateMachineHumanApprovalArn"] as const;

/** A deployed approval stack, as CloudFormation describes it. */
export interface ApprovalStack {
  stackName: string;
  stackId: string;
  status: string;
  /** The Email parameter: who the email links say approved or rejected. */
  email: string | undefined;
  outputs: Record<string, string>;
  parameters: Record<string, string>;
}

/** Describe a stack, or undefined when it does not exist. */
export async function findStack(cfn: CloudFormation, stackName: string): Promise<Stack | undefined> {
  try {
    const stack = await cfn.describeStack(stackName);
    return stack && stack.StackStatus !== "DELETE_COMPLETE" ? stack : undefined;
  } catch (error) {
    if (awsErrorName(error) === "ValidationError" && /does not exist/.test((error as Error).message)) return undefined;
    throw toUserError(error, `Describing stack ${stackName}`);
  }
}

/** Summarise a described stack. */
export function toApprovalStack(stack: Stack): ApprovalStack {
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue ?? ""]));
  const parameters = Object.fromEntries(
    (stack.Parameters ?? []).map((p) => [p.ParameterKey ?? "", p.ResolvedValue ?? p.ParameterValue ?? ""]),
  );
  return {
    stackName: stack.StackName ?? "",
    stackId: stack.StackId ?? "",
    status: stack.StackStatus ?? "",
    email: parameters.Email,
    outputs,
    parameters,
  };
}

/**
 * The deployed stack with its required outputs, or a not-found error saying what to do: `scope` (the
 * stack's name and the AWS flags as given) goes into the commands its hints suggest.
 */
export async function requireApprovalStack(cfn: CloudFormation, scope: Scope): Promise<ApprovalStack> {
  const { stackName } = scope;
  const stack = await findStack(cfn, stackName);
  if (!stack) {
    throw new NotFoundError(
      `Stack ${stackName} does not exist in this account and region.`,
      `Deploy it with \`${suggestCommand(scope, ["deploy", "--email", placeholder("address")])}\`, or pass --stack-name / --region.`,
    );
  }
  const summary = toApprovalStack(stack);
  const missing = REQUIRED_OUTPUTS.filter((key) => !summary.outputs[key]);
  if (missing.length) {
    throw new NotFoundError(
      `Stack ${stackName} (${summary.status}) has no ${missing.join(" or ")} output: it is not a human-approval stack, or it is not deployed yet.`,
      `Check --stack-name, or run \`${suggestCommand(scope, ["deploy"])}\`.`,
    );
  }
  return summary;
}

/** The state machine's definition, read as an approval workflow. */
export async function loadWorkflow(sfn: StepFunctions, stateMachineArn: string, scope: Scope): Promise<Workflow> {
  return parseWorkflow((await readDefinition(sfn, stateMachineArn, scope)).definition);
}

/**
 * The state machine's definition as deployed (Amazon States Language JSON), and whether it is ACTIVE
 * (not being deleted). `scope` is the stack's, for the command a not-found hint suggests.
 */
export async function readDefinition(
  sfn: StepFunctions,
  stateMachineArn: string,
  scope: Scope,
): Promise<{ definition: string; active: boolean }> {
  try {
    const { definition, status } = await sfn.describeStateMachine(stateMachineArn);
    return { definition: definition ?? "", active: status === undefined || status === "ACTIVE" };
  } catch (error) {
    if (awsErrorName(error) === "StateMachineDoesNotExist") {
      throw new NotFoundError(
        `State machine ${stateMachineArn} does not exist.`,
        `Run \`${suggestCommand(scope, ["deploy"])}\` to recreate it.`,
        error,
      );
    }
    throw toUserError(error, "Reading the state machine");
  }
}

/**
 * The definition an execution runs on. It can differ from the deployed one: an update (a new Email,
 * say) changes the Choice strings, and an execution started before it still routes on the old ones.
 * Undefined when the execution does not exist, so the caller reports that in its own words.
 */
export async function loadExecutionWorkflow(sfn: StepFunctions, executionArn: string): Promise<Workflow | undefined> {
  try {
    const { definition } = await sfn.definitionForExecution(executionArn);
    return parseWorkflow(definition ?? "");
  } catch (error) {
    // AWS answers ExecutionDoesNotExist; some emulators ResourceNotFound.
    if (["ExecutionDoesNotExist", "ResourceNotFound"].includes(awsErrorName(error) ?? "")) return undefined;
    throw toUserError(error, "Reading the execution's state machine");
  }
}
