import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand, GetExecutionHistoryCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { hasTmux, Terminal } from "./tmux.js";

const tmux = hasTmux();
if (!tmux) console.warn("test/terminal: skipped, tmux is not installed (apt-get install tmux) — the prompts are not tested.");

const email = "ops@example.com";
const stack = uniqueStackName("tty");
let env: Record<string, string | undefined>;
let stateMachineArn: string;
let open: Terminal | undefined;

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

/** The execution's status once it has left RUNNING (or RUNNING if it has not within a few seconds), and the states it entered. */
async function settle(executionArn: string): Promise<{ status: string; states: string[]; events: string[] }> {
  const { sfn } = sdk();
  let status = "RUNNING";
  for (let i = 0; i < 30 && status === "RUNNING"; i++) {
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? "";
    if (status === "RUNNING") await new Promise((r) => setTimeout(r, 100));
  }
  const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
  const events = history.events ?? [];
  return {
    status,
    states: events.flatMap((e) => (e.type?.endsWith("StateEntered") ? [e.stateEnteredEventDetails?.name ?? ""] : [])),
    events: events.map((e) => e.type ?? ""),
  };
}

async function stackStatus(stackName: string): Promise<string> {
  try {
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.StackStatus ?? "NONE";
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) return "NONE";
    throw error;
  }
}

const title = tmux ? "prompts in a real terminal (tmux)" : "prompts in a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    // No NO_COLOR: these runs are at a terminal and decide colour themselves; captures are read as plain text.
    env = { ...cliEnv(), NO_COLOR: undefined };
    const deployed = await runCli(["deploy", "--email", email, "--yes", "--json", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
    expect(stateMachineArn).toMatch(/^arn:aws:states:/);
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
    const untouched = await settle(second);
    expect(untouched.status).toBe("RUNNING");
    expect(untouched.events).not.toContain("TaskSucceeded");
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
    const after = await settle(arn);
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
    const after = await settle(arn);
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
    expect(screen).toContain(`Next: approvals start --input request.json --stack-name ${fresh}`);
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
