// Which state machine `--state-machine` names: an ARN as given, a name through ListStateMachines.
// Only `states:` calls: this path works with no CloudFormation permission at all.
import { toUserError } from "../../aws/errors.js";
import type { StepFunctions } from "../../aws/sfn.js";
import { NotFoundError, UsageError } from "../../errors.js";
import { type DefinitionDocument, definitionDocument } from "../workflow/callbacks.js";

/** A state machine named on the command line, found. */
export interface NamedMachine {
  arn: string;
  name: string;
}

/** A state machine's definition, as read. */
export interface MachineDefinition extends NamedMachine {
  definition: DefinitionDocument;
  /** The definition's text, as DescribeStateMachine (or DescribeStateMachineForExecution) returned it. */
  text: string;
}

/** A state machine ARN: partition, region, account, and a name checked as MACHINE_NAME (no version or alias). */
const STATE_MACHINE_ARN = /^arn:[\w-]+:states:[a-z0-9-]+:\d{12}:stateMachine:([^:]+)$/;
/** Step Functions names: 1 to 80 characters, none of the characters it forbids. */
const MACHINE_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;

/** Whether `name` is one Step Functions could give a state machine (what `--state-machine` takes as a name). */
export function isMachineName(name: string): boolean {
  return MACHINE_NAME.test(name);
}

/**
 * Refuse, before anything is sent, a `--state-machine` that is neither a name nor a state machine
 * ARN, and `--state-machine` given with `--stack-name` (they name two different things).
 */
export function checkStateMachineOption(stateMachine: string | undefined, stackNameGiven: boolean | undefined): void {
  if (stateMachine === undefined) return;
  if (stackNameGiven) {
    throw new UsageError("--state-machine and --stack-name name two different workflows: give one of them.");
  }
  // The name at an ARN's end is held to the same rule as a name: it is shown, and remembered for completion.
  const name = stateMachine.startsWith("arn:") ? STATE_MACHINE_ARN.exec(stateMachine)?.[1] : stateMachine;
  const valid = name !== undefined && MACHINE_NAME.test(name);
  if (!valid) {
    throw new UsageError(
      `--state-machine ${JSON.stringify(stateMachine)} is neither a state machine name nor a state machine ARN.`,
      "Example: --state-machine OrderApproval, or arn:aws:states:us-east-1:123456789012:stateMachine:OrderApproval",
    );
  }
}

/** The name at the end of a state machine ARN. */
export function machineNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf(":") + 1);
}

/**
 * The state machine `--state-machine` names: an ARN is used as given (no call) when it is of the
 * run's region, a name is looked for with ListStateMachines, page after page, in the run's region.
 */
export async function resolveStateMachine(sfn: StepFunctions, nameOrArn: string): Promise<NamedMachine> {
  if (nameOrArn.startsWith("arn:")) {
    // The client asks its own region's endpoint, which holds no state machine of another region: the
    // run would end in "does not exist" after its calls, the ARN's region unmentioned. Refused before any.
    const region = nameOrArn.split(":")[3];
    const ours = await sfn.region();
    if (ours && region !== ours) {
      throw new UsageError(
        `State machine ${nameOrArn} is in ${region}, but this run's region is ${ours}.`,
        `Give --region ${region}, or the name of a state machine in ${ours}.`,
      );
    }
    return { arn: nameOrArn, name: machineNameOf(nameOrArn) };
  }
  try {
    for await (const page of sfn.stateMachinePages()) {
      const found = page.find((m) => m.name === nameOrArn);
      if (found?.stateMachineArn) return { arn: found.stateMachineArn, name: nameOrArn };
    }
  } catch (error) {
    throw toUserError(error, "Listing state machines");
  }
  throw new NotFoundError(
    `No state machine named ${JSON.stringify(nameOrArn)} in this region.`,
    "Check the name and --region, or give the state machine's ARN.",
  );
}

/** The state machine's current definition (DescribeStateMachine). */
export async function describeMachine(sfn: StepFunctions, machine: NamedMachine): Promise<MachineDefinition> {
  try {
    const described = await sfn.describeStateMachine(machine.arn);
    const text = described.definition ?? "{}";
    return { ...machine, text, definition: definitionDocument(text) };
  } catch (error) {
    if ((error as { name?: string }).name === "StateMachineDoesNotExist") {
      throw new NotFoundError(`State machine ${machine.arn} does not exist.`, "Check the ARN and --region.", error);
    }
    throw toUserError(error, "Reading the state machine");
  }
}
