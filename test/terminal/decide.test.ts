// `decide` at a terminal: it shows the exact output it will send and asks; declining sends nothing.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { enteredState, historyOf, settled, statesEntered, tasksScheduled } from "../integration/sfn-helpers.js";
import { sqsCallbacks } from "../integration/sqs-callbacks.js";
import { cliEnv, endpoint } from "../support/cli.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";
import { hasTmux, Terminal } from "./tmux.js";

const tmux = hasTmux();
let env: Record<string, string | undefined>;
let open: Terminal | undefined;

const title = tmux ? "decide at a real terminal (tmux)" : "decide at a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(() => {
    env = { ...cliEnv(), NO_COLOR: undefined };
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("shows the output, asks, sends it on yes; on no sends nothing", async () => {
    const { sfn, machine } = sqsCallbacks(endpoint());
    const { start } = await machine((QueueUrl) => JSON.parse(fixtureDefinition("variable-three-ways", { QueueUrl, FunctionArn: "" })));
    const declined = await start({});
    const accepted = await start({});
    const name = declined.split(":")[6] ?? "";
    await tasksScheduled(sfn, accepted, 1);

    open = Terminal.run(["decide", "run-1", "--to", "Escalate", "--state-machine", name], { env });
    const asked = await open.waitFor(/Send this output to Ask of run-1\?/);
    expect(asked).toContain('Answer Ask of run-1 with:\n  {"decision":"escalate"}');
    open.press("n", "Enter");
    expect(await open.exited()).toBe(1);
    expect(open.screen()).toContain("Cancelled: nothing was sent.");
    expect((await historyOf(sfn, declined)).some((e) => e.type === "TaskSucceeded")).toBe(false);
    open.close();

    open = Terminal.run(["decide", "run-2", "--to", "Escalate", "--state-machine", name], { env });
    await open.waitFor(/Send this output to Ask of run-2\?/);
    open.press("y", "Enter");
    expect(await open.exited()).toBe(0);
    expect(open.screen()).toContain("Sent to Ask of run-2: it goes to Escalate.");
    await settled(sfn, accepted);
    expect(statesEntered(await historyOf(sfn, accepted))).toEqual(["Ask", "Route", "Escalate"]);
  });

  it("several tasks waiting and no --task: a terminal picks one", async () => {
    const { sfn, machine } = sqsCallbacks(endpoint());
    const { start } = await machine((QueueUrl) => JSON.parse(fixtureDefinition("parallel-two-approvers", { QueueUrl, FunctionArn: "" })));
    const executionArn = await start({});
    const name = executionArn.split(":")[6] ?? "";
    await tasksScheduled(sfn, executionArn, 2);
    open = Terminal.run(["decide", "run-1", "--to", "LegalRejected", "--state-machine", name], { env });
    await open.waitFor(/2 tasks wait in run-1: which one to answer\?/);
    expect(open.screen()).toMatch(/Finance {2}waiting for/);
    open.press("Down", "Enter");
    await open.waitFor(/Send this output to Legal of run-1\?/);
    expect(open.screen()).toContain('Answer Legal of run-1 with:\n  {"verdict":"reject"}');
    open.press("y", "Enter");
    expect(await open.exited()).toBe(0);
    await enteredState(sfn, executionArn, "LegalRejected");
    expect(statesEntered(await historyOf(sfn, executionArn))).toContain("LegalRejected");
    expect(statesEntered(await historyOf(sfn, executionArn))).not.toContain("FinanceApproved");
  });

  it("approve --state-machine with several tasks waiting: a terminal picks one, shows the mapped output and asks", async () => {
    const { sfn, machine } = sqsCallbacks(endpoint());
    const { start } = await machine((QueueUrl) => JSON.parse(fixtureDefinition("parallel-two-approvers", { QueueUrl, FunctionArn: "" })));
    const executionArn = await start({});
    const name = executionArn.split(":")[6] ?? "";
    await tasksScheduled(sfn, executionArn, 2);
    open = Terminal.run(["approve", "run-1", "--state-machine", name], { env });
    await open.waitFor(/2 tasks wait in run-1: which one to answer\?/);
    open.press("Down", "Enter");
    await open.waitFor(/Approve Legal of run-1\?/);
    expect(open.screen()).toContain('Approve Legal of run-1: it goes to LegalApproved, with:\n  {"verdict":"approve"}');
    open.press("y", "Enter");
    expect(await open.exited()).toBe(0);
    expect(open.screen()).toContain("Approved Legal of run-1: it goes to LegalApproved.");
    await enteredState(sfn, executionArn, "LegalApproved");
    const states = statesEntered(await historyOf(sfn, executionArn));
    expect(states).toContain("LegalApproved");
    expect(states).not.toContain("FinanceApproved");
  });
});
