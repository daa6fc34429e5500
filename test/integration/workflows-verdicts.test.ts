// approve, reject and fail on any state machine (`--state-machine`), through the BUILT CLI against the
// emulator: definitions of the corpus created straight with CreateStateMachine, and the history
// checked for what was sent and the state the workflow entered.
import type { HistoryEvent } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { cliEnv, endpoint, runCli } from "../support/cli.js";
import { rawControls } from "../support/hostile.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";
import { enteredState, historyOf, settled, tasksScheduled } from "./sfn-helpers.js";
import { askTask, type Json, sqsCallbacks } from "./sqs-callbacks.js";

const { sfn, machine } = sqsCallbacks(endpoint());
const env = cliEnv();
const FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:ask";

/** A state machine from `build`, one execution of it started, and the CLI pointed at it. */
async function startedWith(build: (queueUrl: string) => Json, input: Json = {}) {
  const { start } = await machine(build);
  const executionArn = await start(input);
  const machineName = executionArn.split(":")[6] ?? "";
  const cli = (args: string[]) => runCli([...args, "--state-machine", machineName], { env });
  return { executionArn, cli, machineName };
}

const started = (fixture: string) => startedWith((QueueUrl) => JSON.parse(fixtureDefinition(fixture, { QueueUrl, FunctionArn })));

/** Until `count` tasks have been scheduled in the execution (bounded). */
const scheduled = (executionArn: string, count: number) => tasksScheduled(sfn, executionArn, count);

/** Until the state was entered (bounded). */
const entered = (executionArn: string, state: string) => enteredState(sfn, executionArn, state);

/** The state whose task an event belongs to: back along previousEventId to its TaskStateEntered. */
function stateOf(events: HistoryEvent[], event: HistoryEvent | undefined): string | undefined {
  let current = event;
  while (current && current.type !== "TaskStateEntered") current = events.find((e) => e.id === current?.previousEventId);
  return current?.stateEnteredEventDetails?.name;
}

const sent = (events: HistoryEvent[]) => events.filter((e) => e.type === "TaskSucceeded" || e.type === "TaskFailed");

describe("approve, reject and fail with --state-machine, through the built CLI", () => {
  it.each([
    ["approve", "Publish", "Discard", { approved: true }],
    ["reject", "Discard", "Publish", { approved: false }],
  ])("%s on a boolean in a nested ResultPath sends exactly the solved output and routes to %s", async (kind, to, other, output) => {
    const { executionArn, cli } = await started("nested-resultpath");
    await scheduled(executionArn, 1);
    const result = await cli([kind, "run-1", "--yes"]);
    expect(result.stderr).toBe(
      `${kind === "approve" ? "Approve" : "Reject"} Review of run-1: it goes to ${to}, with:\n  ${JSON.stringify(output)}\n`,
    );
    expect(result.stdout).toBe(`${kind === "approve" ? "Approved" : "Rejected"} Review of run-1: it goes to ${to}.\n`);
    expect(result.code).toBe(0);
    const states = await entered(executionArn, to);
    expect(states).not.toContain(other);
    const [answer] = sent(await historyOf(sfn, executionArn));
    expect(JSON.parse(answer?.taskSucceededEventDetails?.output ?? "null")).toEqual(output);
  });

  it("approve on three ways out whose names say approve and reject (JSONata, a variable) goes to Approve; --json says so", async () => {
    const { executionArn, cli } = await started("variable-three-ways");
    await scheduled(executionArn, 1);
    const result = await cli(["approve", "run-1", "--yes", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(
      expect.objectContaining({ execution: "run-1", decision: "approve", state: "Ask", to: "Approve", output: { decision: "approve" } }),
    );
    expect(await entered(executionArn, "Approve")).not.toContain("Escalate");
  });

  it("approve on three ways out that say nothing of approving refuses (exit 2), lists each branch's decide --to, sends nothing", async () => {
    const route = (value: string, next: string) => ({ Condition: `{% $decision = '${value}' %}`, Next: next });
    const { executionArn, cli, machineName } = await startedWith((queueUrl) => ({
      QueryLanguage: "JSONata",
      StartAt: "Ask",
      States: {
        Ask: askTask(queueUrl, {}, { Assign: { decision: "{% $states.result.decision %}" }, Next: "Route" }),
        Route: { Type: "Choice", Choices: [route("fast", "Fast"), route("slow", "Slow"), route("later", "Later")], Default: "Unknown" },
        Fast: { Type: "Succeed" },
        Slow: { Type: "Succeed" },
        Later: { Type: "Succeed" },
        Unknown: { Type: "Fail", Error: "Unknown" },
      },
    }));
    await scheduled(executionArn, 1);
    for (const kind of ["approve", "reject"]) {
      const refused = await cli([kind, "run-1", "--yes"]);
      expect(refused.code).toBe(2);
      expect(refused.stdout).toBe("");
      const lines = refused.stderr.split("\n");
      expect(lines[0]).toBe(
        `Nothing sent. ${kind} cannot be told from the definition: nothing in the Choice "Route" says which branch approves and which rejects.`,
      );
      for (const to of ["Fast", "Slow", "Later"]) {
        expect(lines).toContain(`  → ${to}: approvals decide run-1 --to ${to} --state-machine ${machineName}`);
      }
    }
    expect(sent(await historyOf(sfn, executionArn))).toEqual([]);
    const pending = await cli(["pending", "--json"]);
    expect(JSON.parse(pending.stdout).map((t: { state: string }) => t.state)).toEqual(["Ask"]);
  });

  it("state names from the definition reach the terminal neutralised, in what approve sends and in a refusal", async () => {
    const [approved, rejected, other] = ["Approved\u001b[2J", "Rejected\u009b", "Later\u001b]0;x\u0007"];
    const on = (value: string, next: string) => ({ Condition: `{% $states.input.verdict = '${value}' %}`, Next: next });
    const build = (rules: Json[]) => (queueUrl: string) => ({
      QueryLanguage: "JSONata",
      StartAt: "Ask",
      States: {
        Ask: askTask(queueUrl, {}, { Next: "Route" }),
        Route: { Type: "Choice", Choices: rules, Default: "Unknown" },
        [approved]: { Type: "Succeed" },
        [rejected]: { Type: "Fail", Error: "Rejected" },
        [other]: { Type: "Succeed" },
        Unknown: { Type: "Fail", Error: "Unknown" },
      },
    });
    const mapped = await startedWith(build([on("yes", approved), on("nay", rejected)]));
    const unmapped = await startedWith(build([on("yes", other), on("nay", rejected.replace("Rejected", "Elsewhere"))]));
    await Promise.all([scheduled(mapped.executionArn, 1), scheduled(unmapped.executionArn, 1)]);
    const sentOne = await mapped.cli(["approve", "run-1", "--yes"]);
    const refused = await unmapped.cli(["approve", "run-1", "--yes"]);
    expect(sentOne.code).toBe(0);
    expect(refused.code).toBe(2);
    for (const { stdout, stderr } of [sentOne, refused]) expect(rawControls(stdout + stderr)).toEqual([]);
    expect(sentOne.stdout).toContain("it goes to Approved\\u001b[2J.");
    // A name the terminal shows escaped cannot be copied from it: the command says <to> instead.
    expect(refused.stderr).toContain("  → Later\\u001b]0;x\\u0007: approvals decide run-1 --to <to> --state-machine");
    // The emulator records a state name with controls escaped: the Succeed state says approve's branch was taken.
    expect((await settled(sfn, mapped.executionArn)).status).toBe("SUCCEEDED");
    expect(sent(await historyOf(sfn, unmapped.executionArn))).toEqual([]);
  });

  it("several tasks wait: approve refuses without --task, naming them; fail --task fails that one, its cause recorded", async () => {
    const { executionArn, cli } = await started("parallel-two-approvers");
    await scheduled(executionArn, 2);
    const refused = await cli(["approve", "run-1", "--yes"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("2 tasks wait in run-1: ");
    expect(refused.stderr).toContain("--task");
    expect(sent(await historyOf(sfn, executionArn))).toEqual([]);
    const failed = await cli(["fail", "run-1", "--task", "Legal", "--error", "Withdrawn", "--cause", "request withdrawn", "--yes"]);
    expect(failed.code).toBe(0);
    expect(failed.stdout).toBe("Failed Legal of run-1.\n");
    await settled(sfn, executionArn);
    const events = await historyOf(sfn, executionArn);
    const [failure, ...others] = sent(events);
    expect(others).toEqual([]);
    expect(failure?.type).toBe("TaskFailed");
    expect(failure?.taskFailedEventDetails?.error).toBe("Withdrawn");
    const cause = JSON.parse(failure?.taskFailedEventDetails?.cause ?? "{}");
    expect(cause).toEqual({
      Cause: "request withdrawn",
      DecidedBy: expect.stringMatching(/^arn:aws:/),
      Via: "approvals CLI",
      DecisionId: expect.any(String),
    });
    // The task failed is Legal's: back along previousEventId, the state entered before it.
    expect(stateOf(events, failure)).toBe("Legal");
  });

  it("fail --exact-payload sends the cause as given; bad options are refused before anything is read", async () => {
    const { executionArn, cli } = await started("nested-resultpath");
    await scheduled(executionArn, 1);
    for (const [args, message] of [
      [["approve", "run-1", "--reason", "fine", "--yes"], "--reason is not sent with --state-machine"],
      [["approve", "run-1", "run-2", "--yes"], "takes one execution, not several"],
      [["approve", "run-1", "--wait", "--yes"], "--wait applies to the stack's workflow"],
    ] as const) {
      const result = await cli([...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
    expect(sent(await historyOf(sfn, executionArn))).toEqual([]);
    const failed = await cli(["fail", "run-1", "--error", "Cancelled", "--cause", "as given", "--exact-payload", "--yes"]);
    expect(failed.code).toBe(0);
    await settled(sfn, executionArn);
    const [failure] = sent(await historyOf(sfn, executionArn));
    expect(failure?.taskFailedEventDetails).toEqual(expect.objectContaining({ error: "Cancelled", cause: "as given" }));
  });
});
