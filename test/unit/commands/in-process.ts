import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { CloudFormationClient } from "@aws-sdk/client-cloudformation";
import { SFNClient } from "@aws-sdk/client-sfn";
import { main } from "../../../src/cli.js";
import { type Answer, API_URL, CALLER_ARN, fakeClient, type Sent, STATE_MACHINE_ARN } from "../fixtures.js";

/** What a command run in-process printed and returned. */
export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fake Step Functions and CloudFormation answers, by command name (see {@link fakeClient}). */
export interface FakeAccount {
  sfn?: Record<string, Answer | Answer[]>;
  cloudFormation?: Record<string, Answer | Answer[]>;
  /** STS: by default GetCallerIdentity names {@link CALLER_ARN}. */
  sts?: Record<string, Answer | Answer[]>;
}

/**
 * A real SDK client (paginators insist on one) whose `send` answers from `answers` instead of AWS.
 */
function sdkFake<C extends { send: unknown }>(client: C, answers: Record<string, Answer | Answer[]>) {
  const fake = fakeClient(answers);
  client.send = fake.client.send as C["send"];
  return { client, sent: fake.sent };
}

const CREDENTIALS = { region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "y" } };

/** CloudFormation's answer for the deployed stack: the template's outputs, and its Email parameter. */
export function stackAnswers(email = "ops@example.com", status = "CREATE_COMPLETE"): Record<string, Answer> {
  return {
    DescribeStacks: () => ({
      Stacks: [
        {
          StackName: "human-approval",
          StackId: "arn:aws:cloudformation:us-east-1:123456789012:stack/human-approval/1",
          StackStatus: status,
          Parameters: [{ ParameterKey: "Email", ParameterValue: email }],
          Outputs: [
            { OutputKey: "ApiGatewayInvokeURL", OutputValue: API_URL },
            { OutputKey: "StateMachineHumanApprovalArn", OutputValue: STATE_MACHINE_ARN },
          ],
        },
      ],
    }),
  };
}

/** The deployed stack every in-process command finds unless told otherwise. */
export const STACK_ANSWERS: Record<string, Answer> = stackAnswers();

/**
 * Run `approvals <args>` in this process through `main(argv, streams, env)`, with fake AWS clients,
 * a fixed clock, no terminal and a private cache folder. Returns the exit code and both streams,
 * and what each fake client was sent.
 */
export async function runInProcess(args: string[], account: FakeAccount = {}, options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (chunk) => {
    out += chunk;
  });
  stderr.on("data", (chunk) => {
    err += chunk;
  });
  stdin.end(options.stdin ?? "");
  const sfn = sdkFake(new SFNClient(CREDENTIALS), account.sfn ?? {});
  const cfn = sdkFake(new CloudFormationClient(CREDENTIALS), { ...STACK_ANSWERS, ...account.cloudFormation });
  const sts = fakeClient(account.sts ?? { GetCallerIdentity: () => ({ Arn: CALLER_ARN }) });
  const env = { NO_COLOR: "1", XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "approvals-cache-")), ...options.env };
  const code = await main(["node", "approvals", ...args], { stdout, stderr, stdin }, env, {
    clients: {
      sfn: async () => sfn.client,
      cloudFormation: async () => cfn.client,
      sts: async () => sts.client as never,
    },
    now: () => new Date("2026-11-25T10:05:00.000Z"),
    sleep: async () => {},
  });
  const result: InProcessResult = { code, stdout: out, stderr: err };
  return { ...result, sent: { sfn: sfn.sent as Sent[], cloudFormation: cfn.sent as Sent[] }, env };
}
