import type { CloudFormationClient } from "@aws-sdk/client-cloudformation";

export const TEMPLATE: string;
export function inlineCode(logicalId: string, templatePath?: string): string;
export function substitute(text: string, variables: Record<string, string>): string;
export function stackVariables(cfn: CloudFormationClient, stackName: string): Promise<Record<string, string>>;
export function functionArn(variables: Record<string, string>, logicalId: string): string;

/** What one handler call returned or threw, with everything the function logged. */
export interface Invocation {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string };
  logs: string;
}

/** A Lambda function's code installed in a directory of its own, ready to run on Node. */
export interface InstalledFunction {
  dir: string;
  /** Call the exported `handler` with an event and a context, in a fresh Node process. */
  invoke(handler: string, event: unknown, context: unknown): Promise<Invocation>;
  remove(): void;
}

export function installFunction(
  code: string,
  awsEnv: Record<string, string>,
  options?: { onLogs?: (logs: string) => void },
): InstalledFunction;
