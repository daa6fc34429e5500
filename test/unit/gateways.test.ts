import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { toUserError } from "../../src/aws/errors.js";
import { StepFunctions } from "../../src/aws/sfn.js";
import { awsErrorName } from "../../src/errors.js";
import { fakeSfn } from "./fixtures.js";

const root = join(import.meta.dirname, "../..");
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
const offenders = (folders: string[], pattern: RegExp) =>
  folders.flatMap((folder) =>
    sources(join(root, "src", folder)).flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (pattern.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
    ),
  );

describe("AWS behind the gateways", () => {
  it("no module of core, commands, output or completion imports the SDK or its command door", () => {
    expect(
      offenders(["core", "commands", "output", "completion"], /from "[^"]*(@aws-sdk\/|aws\/sdk\/)|import\("[^"]*(@aws-sdk\/|aws\/sdk\/)/),
    ).toEqual([]);
  });

  it("commands, output and completion reach AWS through core's use cases, never a gateway of the context", () => {
    expect(offenders(["commands", "output", "completion"], /\bctx\.(sfn|cloudFormation|sns|sts)\(/)).toEqual([]);
  });

  it("the adaptive window and the throttled-answer middleware are used inside aws/ alone", () => {
    expect(
      offenders(["core", "commands", "output", "completion"], /mapAdaptive|lib\/adaptive|aws\/throttling|sendWithoutThrottlingRetries/),
    ).toEqual([]);
  });
});

/** Step Functions' throttling answer, as the SDK throws it. */
const throttled = () => Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
const ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`;

describe("StepFunctions.readHistories", () => {
  it("reads an item again after Step Functions throttled its read, and keeps the items' order", async () => {
    let refusals = 1;
    const fake = fakeSfn({
      GetExecutionHistory: (input) => {
        if (input.executionArn === ARN("b") && refusals-- > 0) throw throttled();
        return { events: [{ id: 7, type: "TaskScheduled", timestamp: new Date(0) }] };
      },
    });
    const sfn = new StepFunctions(fake.client);
    const ids = await sfn.readHistories(["a", "b", "c"], async (name, reads) => reads.newestEventId(ARN(name)));
    expect(ids).toEqual([7, 7, 7]);
    expect(fake.sent.filter((s) => s.input.executionArn === ARN("b"))).toHaveLength(2);
  });

  it("recognises a throttled read the callback wrapped in a user error, and reads it again", async () => {
    let refusals = 2;
    const fake = fakeSfn({
      ListExecutions: () => {
        if (refusals-- > 0) throw throttled();
        return { executions: [{ executionArn: ARN("x"), name: "x" }] };
      },
    });
    const sfn = new StepFunctions(fake.client);
    const machines = ["arn:aws:states:us-east-1:123456789012:stateMachine:sm"];
    const found = await sfn.readHistories(machines, async (arn, reads) => {
      try {
        return await reads.runningExecutions(arn);
      } catch (error) {
        throw toUserError(error, "Reading state machine sm");
      }
    });
    expect(found).toEqual([[{ executionArn: ARN("x"), name: "x" }]]);
    expect(fake.names()).toEqual(["ListExecutions", "ListExecutions", "ListExecutions"]);
  });

  it("stops at once on any other error, as the callback threw it", async () => {
    const fake = fakeSfn({
      GetExecutionHistory: () => {
        throw Object.assign(new Error("no such execution"), { name: "ExecutionDoesNotExist", $metadata: { httpStatusCode: 400 } });
      },
    });
    const sfn = new StepFunctions(fake.client);
    const error = await sfn
      .readHistories(["a"], async (name, reads) => {
        try {
          return await reads.historyTail(ARN(name), 10);
        } catch (e) {
          throw toUserError(e, "Reading a");
        }
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Reading a failed: ExecutionDoesNotExist/);
    expect(awsErrorName((error as { cause?: unknown }).cause)).toBe("ExecutionDoesNotExist");
    expect(fake.names()).toEqual(["GetExecutionHistory"]);
  });
});

describe("StepFunctions.withSignal", () => {
  it("puts the signal on every call, the window's reads included, and the gateway it came from on none", async () => {
    const fake = fakeSfn({
      DescribeExecution: () => ({ status: "RUNNING" }),
      ListExecutions: () => ({ executions: [] }),
      GetExecutionHistory: () => ({ events: [{ id: 3, type: "TaskScheduled", timestamp: new Date(0) }] }),
    });
    const signals: unknown[] = [];
    const send = fake.client.send;
    fake.client.send = ((command: never, options?: { abortSignal?: AbortSignal }) => {
      signals.push(options?.abortSignal);
      return send(command);
    }) as typeof fake.client.send;
    const plain = new StepFunctions(fake.client);
    const controller = new AbortController();
    const watching = plain.withSignal(controller.signal);
    await watching.describeExecution(ARN("a"));
    await watching.runningExecutions("arn:aws:states:us-east-1:123456789012:stateMachine:sm");
    await watching.readHistories(["a"], async (name, reads) => reads.newestEventId(ARN(name)));
    expect(signals).toEqual([controller.signal, controller.signal, controller.signal]);
    signals.length = 0;
    await plain.describeExecution(ARN("a"));
    await plain.readHistories(["a"], async (name, reads) => reads.newestEventId(ARN(name)));
    expect(signals).toEqual([undefined, undefined]);
  });
});
