import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, stackStatus, uniqueStackName } from "../support/cli.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");
const email = "ops@example.com";
let env: Record<string, string | undefined>;
let open: Terminal | undefined;

function terminal(args: string[]): Terminal {
  open = Terminal.run(args, { env });
  return open;
}

async function deploy(stackName: string): Promise<void> {
  const deployed = await runCli(["deploy", "--email", email, "--yes", "--stack-name", stackName], { env });
  expect(deployed.code, deployed.stderr).toBe(0);
}

async function start(stackName: string, name: string): Promise<void> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--stack-name", stackName], { env, input: '{"Comment":"c"}' });
  expect(started.code, started.stderr).toBe(0);
}

describe.skipIf(!tmux)("an operator at a terminal (tmux)", () => {
  beforeAll(() => {
    env = { ...cliEnv(), NO_COLOR: undefined };
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  it("deploy on a new stack asks for the email, checks it against AllowedPattern, and a decline says what it removed", async () => {
    const fresh = uniqueStackName("tty-email");
    const tty = terminal(["deploy", "--stack-name", fresh]);
    await tty.waitFor(`Stack ${fresh} is new. Email address that receives the approval requests:`);
    tty.press("not-an-email", "Enter");
    await tty.waitFor(/"not-an-email" does not match the template's AllowedPattern/);
    tty.press(..."not-an-email".split("").map(() => "BSpace"), email, "Enter");
    const preview = await tty.waitFor(`Create stack ${fresh}?`);
    expect(preview).toMatch(/Add\s+HumanApprovalLambdaStateMachine/);
    tty.press("n", "Enter");
    expect(await tty.exited()).toBe(1);
    expect(tty.screen()).toMatch(
      new RegExp(`Cancelled: change set approvals-\\d+ and the empty stack ${fresh} it created were deleted; nothing was deployed\\.`),
    );
    expect(await stackStatus(fresh)).toMatch(/^(NONE|DELETE_COMPLETE)$/);
  });

  it("destroy says how many executions still wait and what deleting does to them, and asks", async () => {
    const stack = uniqueStackName("tty-destroy");
    await deploy(stack);
    await start(stack, "left-1");
    await start(stack, "left-2");
    const declined = terminal(["destroy", "--stack-name", stack]);
    const question = await declined.waitFor(`Delete stack ${stack} (CREATE_COMPLETE) and all its resources?`);
    expect(question.replace(/\n/g, " ")).toMatch(
      /2 executions are still waiting for a decision\. Deleting the stack does not end them: they keep waiting until their timeout \(the last in (59 min|1 hr)\), and the Approve and Reject links in their emails stop working\./,
    );
    declined.press("n", "Enter");
    expect(await declined.exited()).toBe(1);
    expect(declined.screen()).toContain("Cancelled: nothing was sent.");
    expect(await stackStatus(stack)).toBe("CREATE_COMPLETE");
    declined.close();

    const accepted = terminal(["destroy", "--stack-name", stack]);
    await accepted.waitFor("and all its resources?");
    accepted.press("y", "Enter");
    expect(await accepted.exited()).toBe(0);
    expect(accepted.screen()).toContain(`Deleted stack ${stack}.`);
  });

  it("approve --all-stacks offers the executions of every stack and decides the one picked", async () => {
    const [a, b] = [uniqueStackName("tty-all-a"), uniqueStackName("tty-all-b")];
    await deploy(a);
    await deploy(b);
    await start(a, "from-a");
    await start(b, "from-b");
    const tty = terminal(["approve", "--all-stacks"]);
    const picker = await tty.waitFor("Executions to approve");
    const rows = picker.split("\n").filter((line) => line.includes(a) || line.includes(b));
    expect(rows.map((row) => row.match(/from-[ab]/)?.[0])).toEqual(["from-b", "from-a"]);
    expect(rows[0]).toMatch(new RegExp(`${b}\\s+from-b\\s+c\\s+\\d+ (min|hr) left`));
    // Down to from-a: other tests' executions may be listed between.
    const choices = picker.split("\n").filter((line) => /[◯◉]/.test(line));
    const target = choices.findIndex((line) => line.includes("from-a"));
    tty.press(...Array.from({ length: target }, () => "Down"), "Space", "Enter");
    await tty.waitFor(`Approve ${a}/from-a?`);
    tty.press("y", "Enter");
    expect(await tty.exited()).toBe(0);
    expect(tty.screen()).toContain(`✔ Approved ${a}/from-a`);
    const left = await runCli(["pending", "--all-stacks", "--json"], { env });
    const ours = JSON.parse(left.stdout).filter((e: { stack: string }) => e.stack === a || e.stack === b);
    expect(ours.map((e: { stack: string; name: string }) => `${e.stack}/${e.name}`)).toEqual([`${b}/from-b`]);
  });
});
