// `pending --all-state-machines` on an emulator of its own (other tests' state machines would count
// too): which state machines it describes, what a warm run costs, and the names completion offers.
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../scripts/emulator.mjs";
import { cliEnv, runCli, tempHome } from "../support/cli.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";
import { tasksScheduled } from "./sfn-helpers.js";
import { sqsCallbacks } from "./sqs-callbacks.js";

let emulator: Emulator;
let env: Record<string, string | undefined>;
const names: string[] = [];
let waiting = "";
let noCallback = "";

/** The requests a `--debug` run made, by operation. */
const requests = (stderr: string) => {
  const counts: Record<string, number> = {};
  for (const [, op] of stderr.matchAll(/^\[debug\] SFN\.(\w+) /gm)) counts[op as string] = (counts[op as string] ?? 0) + 1;
  return counts;
};
const summary = (stderr: string) => stderr.split("\n").find((l) => l.includes("pending: ")) ?? "";

beforeAll(async () => {
  emulator = await startEmulator();
  env = cliEnv({ AWS_ENDPOINT_URL: emulator.endpoint, HOME: tempHome() });
  const { sfn, machine } = sqsCallbacks(emulator.endpoint);
  // A callback task with an execution waiting at it.
  const asks = await machine((QueueUrl) => JSON.parse(fixtureDefinition("seed-jsonata", { QueueUrl, FunctionArn: "" })));
  const executionArn = await asks.start({});
  waiting = executionArn.split(":")[6] ?? "";
  // No callback task, an execution running (waiting an hour).
  const waits = await machine(() => ({ StartAt: "Wait", States: { Wait: { Type: "Wait", Seconds: 3600, End: true } } }));
  noCallback = (await waits.start({})).split(":")[6] ?? "";
  // A callback task, nothing running.
  const idle = await machine((QueueUrl) => JSON.parse(fixtureDefinition("no-choice", { QueueUrl, FunctionArn: "" })));
  names.push(waiting, noCallback, idle.machineArn.split(":")[6] ?? "");
  await tasksScheduled(sfn, executionArn, 1);
}, 60_000);

afterAll(async () => {
  await emulator?.stop();
});

describe("pending --all-state-machines", () => {
  it("lists the tasks of state machines with a callback task; warm, one ListExecutions per state machine and no DescribeStateMachine", async () => {
    const cold = await runCli(["pending", "--all-state-machines", "--debug", "--json"], { env });
    expect(cold.code, cold.stderr).toBe(0);
    expect(JSON.parse(cold.stdout)).toEqual([
      expect.objectContaining({ stateMachine: waiting, execution: "run-1", state: "Ask", mapIndex: null }),
    ]);
    // Nothing runs in the idle one: it is not described. The one without a callback task is, once.
    expect(summary(cold.stderr)).toContain("3 state machines, 2 described, 1 with a callback task");
    expect(requests(cold.stderr)).toEqual({ ListStateMachines: 1, ListExecutions: 3, DescribeStateMachine: 2, GetExecutionHistory: 1 });

    const warm = await runCli(["pending", "--all-state-machines", "--debug"], { env });
    expect(warm.code, warm.stderr).toBe(0);
    expect(warm.stdout).toMatch(new RegExp(`^${waiting} +run-1 +Ask `, "m"));
    expect(summary(warm.stderr)).toContain("0 described");
    // GetExecutionHistory: the one-event read that vouches for the remembered task.
    expect(requests(warm.stderr)).toEqual({ ListStateMachines: 1, ListExecutions: 3, GetExecutionHistory: 1 });
  });

  it("an execution started after a definition was read has that definition read again", async () => {
    const { sfn } = sqsCallbacks(emulator.endpoint);
    const arn = `arn:aws:states:us-east-1:123456789012:stateMachine:${noCallback}`;
    await runCli(["pending", "--all-state-machines"], { env });
    await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "later", input: "{}" }));
    const again = await runCli(["pending", "--all-state-machines", "--debug"], { env });
    expect(requests(again.stderr).DescribeStateMachine).toBe(1);
  });

  it("shell completion offers the names it read after --state-machine, with no call to AWS", async () => {
    const offered = await runCli(["__complete", "decide", "run-1", "--state-machine", ""], {
      env: { ...env, AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
    });
    expect(offered.stdout).toBe("");
    const completed = await runCli(["__complete", "decide", "run-1", "--state-machine", ""], { env });
    expect(completed.stdout.trimEnd().split("\n").sort()).toEqual(names.map((n) => `${n}\tstate machine`).sort());
    const typed = await runCli(["__complete", "pending", "--state-machine", waiting.slice(0, -2)], { env });
    expect(typed.stdout).toBe(`${waiting}\tstate machine\n`);
  });
});
