import { UsageError } from "../../errors.js";

/** Characters Step Functions refuses in execution names (plus whitespace, control characters and lone surrogates). */
const FORBIDDEN_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;

/** Throw a usage error unless `name` is a valid Step Functions execution name (non-ASCII is fine). */
export function validateExecutionName(name: string): void {
  const length = [...name].length;
  if (length < 1 || length > 80) {
    throw new UsageError(`Execution name "${name}" must be 1 to 80 characters long (it has ${length}).`);
  }
  const bad = name.match(FORBIDDEN_NAME);
  if (bad) {
    throw new UsageError(
      `Execution name "${name}" contains ${JSON.stringify(bad[0])}, which Step Functions does not allow.`,
      'Names may not contain spaces, control characters or any of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /',
    );
  }
}

/** The ARN of the execution `name` of a state machine: `arn:…:stateMachine:<machine>` becomes `arn:…:execution:<machine>:<name>`. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`;
}

/** The ARN of the state machine an execution belongs to: the inverse of {@link executionArnOf}. */
export function stateMachineArnOf(executionArn: string): string {
  return executionArn.replace(":execution:", ":stateMachine:").replace(/:[^:]*$/, "");
}

/** The execution ARN for a name or ARN given on the command line, in the stack's state machine. */
export function resolveExecutionArn(stateMachineArn: string, nameOrArn: string): string {
  const prefix = executionArnOf(stateMachineArn, "");
  if (nameOrArn.startsWith("arn:")) {
    if (!nameOrArn.startsWith(prefix) || !/:execution:/.test(nameOrArn)) {
      throw new UsageError(`${nameOrArn} is not an execution of this stack's state machine (${stateMachineArn}).`);
    }
    return nameOrArn;
  }
  validateExecutionName(nameOrArn);
  return prefix + nameOrArn;
}

/** The execution name at the end of an execution ARN. */
export function executionName(executionArn: string): string {
  return executionArn.slice(executionArn.lastIndexOf(":") + 1);
}
