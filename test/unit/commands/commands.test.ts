// Commands that need no emulator, run in-process through main(argv, streams, env) with fake clients.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { events, STATE_MACHINE_ARN, TEMPLATE_PATH, TOKEN, templateDefinition, waitingEvents } from "../fixtures.js";
import { runInProcess } from "./in-process.js";

const PREFIX = `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:`;
const START = new Date("2026-11-25T10:00:00.000Z");

/** A state machine with one execution, ApprovalTest, waiting for a decision. */
const waitingAccount = (extra: Record<string, (input: Record<string, unknown>) => unknown> = {}) => ({
  sfn: {
    DescribeStateMachine: () => ({ definition: templateDefinition() }),
    DescribeStateMachineForExecution: () => ({ definition: templateDefinition() }),
    ListExecutions: () => ({
      executions: [{ executionArn: `${PREFIX}ApprovalTest`, name: "ApprovalTest", startDate: START, status: "RUNNING" }],
    }),
    DescribeExecution: () => ({
      executionArn: `${PREFIX}ApprovalTest`,
      name: "ApprovalTest",
      status: "RUNNING",
      startDate: START,
      input: '{"Comment":"hi"}',
    }),
    GetExecutionHistory: () => ({ events: events(...waitingEvents()).reverse() }),
    ...extra,
  },
});

describe("commands in-process", () => {
  it("template prints the bundled template", async () => {
    const result = await runInProcess(["template"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(readFileSync(TEMPLATE_PATH, "utf8"));
  });

  it("completion refuses an unknown shell with one error line and a hint, exit 2", async () => {
    const result = await runInProcess(["completion", "tcsh"]);
    expect(result).toMatchObject({ code: 2, stdout: "" });
    expect(result.stderr).toMatch(/^error: .*tcsh.*\nhint: see `approvals completion --help`\n$/);
  });

  it("start sends the name and input read from stdin, and prints the new execution", async () => {
    const result = await runInProcess(
      ["start", "--input", "-", "--name", "t1"],
      {
        sfn: {
          DescribeStateMachine: () => ({ definition: templateDefinition() }),
          StartExecution: (input) => ({ executionArn: `${PREFIX}${input.name}`, startDate: START }),
        },
      },
      { stdin: '{"Comment":"go"}' },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Started t1\n  ${PREFIX}t1\n`);
    expect(result.sent.sfn.filter((sent) => sent.command === "StartExecution")).toEqual([
      { command: "StartExecution", input: { stateMachineArn: STATE_MACHINE_ARN, name: "t1", input: '{"Comment":"go"}' } },
    ]);
  });

  it("start of a name already taken is a usage error, exit 2", async () => {
    const taken = () => {
      throw Object.assign(new Error("Execution Already Exists"), { name: "ExecutionAlreadyExists", $metadata: { httpStatusCode: 400 } });
    };
    const result = await runInProcess(
      ["start", "--input", "-", "--name", "t1"],
      { sfn: { DescribeStateMachine: () => ({ definition: templateDefinition() }), StartExecution: taken } },
      { stdin: "{}" },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: An execution named t1 already exists/);
  });

  it("pending --json lists the waiting execution and remembers its name for completion", async () => {
    const result = await runInProcess(["pending", "--json"], waitingAccount());
    expect(result.code, result.stderr).toBe(0);
    const listed = JSON.parse(result.stdout);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: "ApprovalTest", input: { Comment: "hi" } });
    // The token is a bearer secret: not in the output unless --links asks for it.
    expect(result.stdout).not.toContain(TOKEN);
  });

  it("approve sends the definition's payload with the execution's token", async () => {
    const result = await runInProcess(
      ["approve", "ApprovalTest", "--yes", "--exact-payload"],
      waitingAccount({ SendTaskSuccess: () => ({}) }),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("✔ Approved ApprovalTest\n");
    expect(result.sent.sfn.find((s) => s.command === "SendTaskSuccess")?.input).toEqual({
      taskToken: TOKEN,
      output: JSON.stringify({ Status: "Approved! Task approved by ops@example.com" }),
    });
  });

  it("approve refused by AWS keeps the error's code and request id: --debug shows them, exit 1", async () => {
    const refused = () => {
      throw Object.assign(new Error("Invalid output"), {
        name: "ValidationException",
        $metadata: { httpStatusCode: 400, requestId: "req-123" },
      });
    };
    const result = await runInProcess(["approve", "ApprovalTest", "--yes", "--debug"], waitingAccount({ SendTaskSuccess: refused }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error: Sending the decision for ApprovalTest failed: ValidationException: Invalid output");
    expect(result.stderr).toContain("code ValidationException, request id req-123");
    // No hint meant for an execution that does not wait.
    expect(result.stderr).not.toContain("hint: Run `approvals pending`");
  });

  it("show redacts a token passed under task_token, in --json too", async () => {
    const history = events(...waitingEvents());
    const scheduled = history.find((e) => e.type === "TaskScheduled");
    if (scheduled?.taskScheduledEventDetails)
      scheduled.taskScheduledEventDetails.parameters = JSON.stringify({ Payload: { task_token: "secret-token" } });
    const account = waitingAccount({
      DescribeExecution: () => ({
        executionArn: `${PREFIX}ApprovalTest`,
        name: "ApprovalTest",
        status: "RUNNING",
        startDate: START,
        input: '{"copied":"secret-token"}',
      }),
      GetExecutionHistory: () => ({ events: history }),
    });
    for (const args of [
      ["show", "ApprovalTest"],
      ["show", "ApprovalTest", "--json"],
    ]) {
      const result = await runInProcess(args, account);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain("secret-token");
    }
  });

  it("show --state-machine refuses a stack/execution name before anything is sent, exit 2", async () => {
    const result = await runInProcess(["show", "ops/order-17", "--state-machine", "OrderApproval"]);
    expect(result.code).toBe(2);
    expect(result.sent.sfn).toEqual([]);
    expect(result.stderr).toMatch(/^error: Execution name "ops\/order-17" contains "\/"/);
  });

  it("an unknown option is a usage error before anything is sent, exit 2", async () => {
    const result = await runInProcess(["pending", "--frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.sent.sfn).toEqual([]);
    expect(result.stderr).toMatch(/^error: unknown option '--frobnicate'/);
  });
});
