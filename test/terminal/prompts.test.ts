import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { historyOf, settled, statesEntered, waitForToken } from "../integration/sfn-helpers.js";
import { cliEnv, endpoint, runCli, sdk, stackStatus, uniqueStackName } from "../support/cli.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");

const email = "ops@example.com";
const stack = uniqueStackName("tty");
let env: Record<string, string | undefined>;
let stateMachineArn: string;
let open: Terminal | undefined;
let recorder: Recorder;

/** `approvals <args> --stack-name <stack>` in a real terminal. */
function terminal(args: string[], stackName = stack, extra: Record<string, string | undefined> = {}): Terminal {
  open = Terminal.run([...args, "--stack-name", stackName], { env: { ...env, ...extra } });
  return open;
}

async function start(name: string, comment: string): Promise<string> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], {
    env,
    input: JSON.stringify({ Comment: comment }),
  });
  expect(started.code, started.stderr).toBe(0);
  return JSON.parse(started.stdout).executionArn;
}

/** The execution's status and the states and events of its history, as they are now. */
async function stateOf(executionArn: string): Promise<{ status: string; states: string[]; events: string[] }> {
  const { sfn } = sdk();
  const { status = "" } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const events = await historyOf(sfn, executionArn);
  return { status, states: statesEntered(events), events: events.map((e) => e.type ?? "") };
}

/** The execution once a decision has ended it (bounded). */
async function settle(executionArn: string): Promise<{ status: string; states: string[]; events: string[] }> {
  await settled(sdk().sfn, executionArn);
  return stateOf(executionArn);
}

/**
 * The execution as it is, once it is proven that no decision was sent for it: every CLI call passes
 * the recorder and the command has exited, so no SendTask call carrying its token means none will land.
 */
async function untouched(executionArn: string): Promise<{ status: string; states: string[]; events: string[] }> {
  const token = await waitForToken(sdk().sfn, executionArn);
  const sent = recorder.calls.filter((c) => c.operation.startsWith("SendTask") && JSON.parse(c.body).taskToken === token);
  expect(sent.map((c) => c.operation)).toEqual([]);
  return stateOf(executionArn);
}

const title = tmux ? "prompts in a real terminal (tmux)" : "prompts in a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    // No NO_COLOR: these runs are at a terminal and decide colour themselves; captures are read as plain text.
    // Every call of the CLI passes a recorder, so a test can prove that nothing was sent.
    recorder = await startRecorder({ target: endpoint() });
    env = { ...cliEnv(), NO_COLOR: undefined, AWS_ENDPOINT_URL: recorder.endpoint };
    const deployed = await runCli(["deploy", "--email", email, "--yes", "--json", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
    expect(stateMachineArn).toMatch(/^arn:aws:states:/);
  });

  afterAll(async () => {
    await recorder?.stop();
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("approve with no execution named: pick two of three, see the payload, confirm; both are approved", async () => {
    const first = await start("pick-a", "first request");
    const second = await start("pick-b", "second request");
    const third = await start("pick-c", "third request");

    const tty = terminal(["approve"]);
    const picker = await tty.waitFor("Executions to approve");
    // Newest first, one aligned row each with the comment and the time left.
    const rows = picker.split("\n").filter((line) => /pick-[abc]/.test(line));
    expect(rows.map((row) => row.match(/pick-[abc]/)?.[0])).toEqual(["pick-c", "pick-b", "pick-a"]);
    expect(rows[0]).toMatch(/pick-c\s+third request\s+\d+ (min|hr) left/);

    tty.press("Space", "Down", "Down", "Space", "Enter");
    const question = await tty.waitFor("Approve 2 executions?");
    expect(question).toContain("SendTaskSuccess to 2 executions:");
    expect(question).toContain(`output  {"Status":"Approved! Task approved by ${email}","DecidedBy":"arn:aws:`);
    expect(question).toContain("(each execution gets a DecisionId of its own)");
    expect(question).toMatch(/to\s+pick-c\n\s+pick-a/);
    // The token is a bearer secret: never on the screen.
    expect(question).not.toMatch(/taskToken|Token/);

    tty.press("y", "Enter");
    expect(await tty.exited()).toBe(0);
    const screen = tty.screen();
    expect(screen).toContain("✔ Approved pick-c");
    expect(screen).toContain("✔ Approved pick-a");

    expect(await settle(third)).toMatchObject({
      status: "SUCCEEDED",
      states: ["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"],
    });
    expect(await settle(first)).toMatchObject({
      status: "SUCCEEDED",
      states: ["Lambda Callback", "ManualApprovalChoiceState", "ApprovedPassState"],
    });
    const notPicked = await untouched(second);
    expect(notPicked.status).toBe("RUNNING");
    expect(notPicked.events).not.toContain("TaskSucceeded");
  });

  it("Ctrl-C at the confirmation exits 130 and sends nothing", async () => {
    const arn = await start("ctrl-c", "interrupt me");
    const tty = terminal(["reject", "ctrl-c"]);
    // Enter skips the reason.
    await tty.waitFor("Reason for rejecting");
    tty.press("Enter");
    const question = await tty.waitFor("Reject ctrl-c?");
    expect(question).toContain(`output  {"Status":"Rejected! Task rejected by ${email}","DecidedBy":"arn:aws:`);
    expect(question).not.toContain('"Reason"');
    tty.press("C-c");
    expect(await tty.exited()).toBe(130);
    expect(tty.screen()).toContain("nothing was sent");
    const after = await untouched(arn);
    expect(after.status).toBe("RUNNING");
    expect(after.events).not.toContain("TaskSucceeded");
    expect(after.events).not.toContain("TaskFailed");
  });

  it("reject asks why: the reason typed is in the payload shown and in the decision sent", async () => {
    const arn = await start("why-reject", "reject me");
    const tty = terminal(["reject", "why-reject"]);
    await tty.waitFor("Reason for rejecting");
    tty.press("wrong", "Space", "build", "Enter");
    const question = await tty.waitFor("Reject why-reject?");
    expect(question).toContain('"Via":"approvals CLI","Reason":"wrong build","DecisionId":"');
    tty.press("y", "Enter");
    expect(await tty.exited()).toBe(0);
    const { sfn } = sdk();
    const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: true }));
    const output = history.events?.find((e) => e.type === "TaskSucceeded")?.taskSucceededEventDetails?.output ?? "";
    expect(JSON.parse(output)).toMatchObject({ Status: `Rejected! Task rejected by ${email}`, Reason: "wrong build" });
  });

  it("Ctrl-C in the picker exits 130 and sends nothing", async () => {
    const arn = await start("ctrl-c-pick", "interrupt the picker");
    const tty = terminal(["fail", "--error", "Stop", "--cause", "interrupted"]);
    await tty.waitFor("Executions to fail");
    tty.press("Space", "C-c");
    expect(await tty.exited()).toBe(130);
    const after = await untouched(arn);
    expect(after.status).toBe("RUNNING");
    expect(after.events).not.toContain("TaskFailed");
  });

  it("deploy shows the change set and asks: no creates nothing, yes creates the stack", async () => {
    const fresh = uniqueStackName("tty-deploy");
    const declined = terminal(["deploy", "--email", email], fresh);
    const preview = await declined.waitFor(`Create stack ${fresh}?`);
    expect(preview).toMatch(/ACTION\s+LOGICAL ID\s+TYPE\s+REPLACEMENT/);
    expect(preview).toMatch(/Add\s+HumanApprovalLambdaStateMachine\s+AWS::StepFunctions::StateMachine/);
    declined.press("n", "Enter");
    expect(await declined.exited()).toBe(1);
    expect(declined.screen()).toMatch(
      new RegExp(`Cancelled: change set approvals-\\d+ and the empty stack ${fresh} it created were deleted; nothing was deployed\\.`),
    );
    expect(await stackStatus(fresh)).toMatch(/^(NONE|DELETE_COMPLETE)$/);
    declined.close();

    const accepted = terminal(["deploy", "--email", email], fresh);
    await accepted.waitFor(`Create stack ${fresh}?`);
    accepted.press("y", "Enter");
    expect(await accepted.exited()).toBe(0);
    const screen = accepted.screen();
    expect(screen).toMatch(/CREATE_COMPLETE/);
    expect(screen).toMatch(/OUTPUT\s+VALUE/);
    expect(screen).toContain("✔ state machine");
    expect(screen).toContain(`Next: echo '{"Comment":"Try me"}' | approvals start --input - --stack-name ${fresh}`);
    expect(await stackStatus(fresh)).toBe("CREATE_COMPLETE");
    await runCli(["destroy", "--yes", "--stack-name", fresh], { env });
  });

  it("pending highlights the time left under 10 minutes, and show colours the path", async () => {
    const short = uniqueStackName("tty-short");
    const dir = mkdtempSync(join(tmpdir(), "approvals-tty-"));
    const template = join(dir, "five-minutes.yaml");
    const body = readFileSync(resolve(import.meta.dirname, "../../templates/human-approval.yaml"), "utf8");
    writeFileSync(template, body.replace('"TimeoutSeconds": 3600', '"TimeoutSeconds": 300'));
    const deployed = await runCli(["deploy", "--email", email, "--template", template, "--yes", "--stack-name", short], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", "soon", "--stack-name", short], { env, input: '{"Comment":"hurry"}' });
    expect(started.code, started.stderr).toBe(0);

    const listing = terminal(["pending"], short);
    expect(await listing.exited()).toBe(0);
    expect(listing.screen()).toMatch(/soon\s+\d+ sec ago\s+\d+ sec\s+[45] min left\s+hurry/);
    // Yellow, and only the time left.
    expect(listing.screen(true)).toMatch(/\u001b\[33m[45] min left\u001b\[(0|39)m/);
    listing.close();

    const shown = terminal(["show", "soon"], short);
    expect(await shown.exited()).toBe(0);
    expect(shown.screen()).toContain("◉ Lambda Callback  Task, waits for a task token  ← waiting here for a decision");
    expect(shown.screen(true)).toMatch(/\u001b\[36m◉/);
    await runCli(["destroy", "--yes", "--stack-name", short], { env });
  });

  it("colours at a terminal, and not with NO_COLOR", async () => {
    const coloured = terminal(["outputs"]);
    expect(await coloured.exited()).toBe(0);
    expect(coloured.screen(true)).toMatch(/\u001b\[32m✔/);
    coloured.close();

    const plain = terminal(["outputs"], stack, { NO_COLOR: "1" });
    expect(await plain.exited()).toBe(0);
    expect(plain.screen()).toContain("✔ state machine");
    expect(plain.screen(true)).not.toMatch(/\u001b\[3\dm/);
  });
});
