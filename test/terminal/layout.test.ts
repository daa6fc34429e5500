import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/output/display-width.js";
import { waitForToken } from "../integration/sfn-helpers.js";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { skipWithout } from "../support/tools.js";
import { hasTmux, Terminal } from "./tmux.js";

// Without tmux these tests skip on a developer's machine and fail under CI.
const tmux = !skipWithout("tmux", hasTmux(), "apt-get install tmux");

const stack = uniqueStackName("layout");
const { sfn } = sdk();
const longComment = "Release 2.4 to production after the change advisory board reviewed the rollback plan and signed off";
let env: Record<string, string | undefined>;
let stateMachineArn: string;
let uuids: string[] = [];
let open: Terminal | undefined;

function terminal(args: string[], columns: number, rows = 30): Terminal {
  open = Terminal.run([...args, "--stack-name", stack], { env, columns, rows });
  return open;
}

/** Start an execution as another process would, with the default name: a 36-character UUID. */
async function startUnnamed(comment: string): Promise<string> {
  const result = await runCli(["start", "--input", "-", "--json", "--stack-name", stack], {
    env,
    input: JSON.stringify({ Comment: comment }),
  });
  expect(result.code, result.stderr).toBe(0);
  const { name, executionArn } = JSON.parse(result.stdout);
  await waitForToken(sfn, executionArn);
  return name;
}

/** Every screen line fits: capture-pane -J joins wrapped lines, so a wrapped row would be wider. */
function expectFits(screen: string, columns: number): void {
  for (const line of screen.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
}

beforeAll(async () => {
  if (!tmux) return;
  env = { ...cliEnv(), NO_COLOR: undefined, FORCE_COLOR: "0" };
  const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--json", "--stack-name", stack], { env });
  expect(deployed.code, deployed.stderr).toBe(0);
  stateMachineArn = JSON.parse(deployed.stdout).outputs.StateMachineHumanApprovalArn;
  uuids = [await startUnnamed(longComment), await startUnnamed(`${longComment} (second)`)];
  expect(uuids[0]).toMatch(/^[0-9a-f-]{36}$/);
  await startUnnamed("승인 요청: 운영 환경 배포를 승인해 주세요, 롤백 계획은 검토되었습니다");
});

afterEach(() => {
  open?.close();
  open = undefined;
});

afterAll(async () => {
  if (tmux) await runCli(["destroy", "--yes", "--stack-name", stack], { env });
});

describe.skipIf(!tmux)("tables in a real terminal", () => {
  it("pending fits 80 columns: the comment shrinks, then each UUID keeps both ends", async () => {
    const term = terminal(["pending"], 80);
    expect(await term.exited()).toBe(0);
    const screen = term.screen();
    expectFits(screen, 80);
    const rows = screen.split("\n").filter((line) => /^[0-9a-f]{8}/.test(line));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatch(/^[0-9a-f]{8}-[0-9a-f-]*…[0-9a-f-]*[0-9a-f]{6} +\d+ sec ago/);
    expect(rows.filter((row) => / Release 2\.4…$/.test(row))).toHaveLength(2);
    expect(screen).toMatch(/^NAME +STARTED +WAITING FOR +TIME LEFT +COMMENT$/m);
  });

  it("pending at 200 columns shows every name and comment whole", async () => {
    const term = terminal(["pending"], 200);
    expect(await term.exited()).toBe(0);
    const screen = term.screen();
    expectFits(screen, 200);
    for (const name of uuids) expect(screen).toContain(name);
    expect(screen).toContain(longComment);
    expect(screen).toContain("운영 환경 배포를 승인해 주세요");
  });

  it("show fits 80 columns: long input lines continue indented, and Decide with puts each command on a line", async () => {
    const term = terminal(["show", uuids[0] as string], 80, 60);
    expect(await term.exited()).toBe(0);
    const screen = term.screen();
    expectFits(screen, 80);
    const timeline = screen.slice(screen.indexOf("Timeline"), screen.indexOf("Decide with"));
    expect(timeline).toMatch(/TIME \(UTC\) +ELAPSED +EVENT +STATE +DETAIL/);
    expect(timeline).toMatch(/ExecutionStarted +\{"Comment":"Release.*…$/m);
    // The input's long line continues below its own indentation, never back at column 0.
    const input = screen.slice(screen.indexOf("  input"), screen.indexOf("Workflow"));
    expect(input.split("\n").length).toBeGreaterThan(3);
    for (const line of input.trimEnd().split("\n")) expect(line).toMatch(/^ {2}/);
    expect(input).toMatch(/^ {14}"Comment": "Release 2\.4.*\n {16}\S/m);
    // Each command on a line of its own, continued over a second where the stack name makes it too wide.
    expect(screen).toMatch(
      new RegExp(
        `^Decide with:\n {2}approvals approve ${uuids[0]}(?: \\\\\n {4}| )--stack-name \\S+\n {2}approvals reject ${uuids[0]}`,
        "m",
      ),
    );
  });

  it("show at 80 columns has the decision whole, below its row", async () => {
    const name = "decided-at-80";
    const started = await runCli(["start", "--input", "-", "--name", name, "--stack-name", stack], {
      env,
      input: JSON.stringify({ Comment: longComment }),
    });
    expect(started.code, started.stderr).toBe(0);
    await waitForToken(sfn, `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${name}`);
    const approved = await runCli(["approve", name, "--yes", "--stack-name", stack], { env });
    expect(approved.code, approved.stderr).toBe(0);

    const term = terminal(["show", name], 80, 60);
    expect(await term.exited()).toBe(0);
    const screen = term.screen();
    expectFits(screen, 80);
    expect(screen).not.toMatch(/TaskSucceeded .*…/);
    // The decision (its Status and the record beside it) is on the lines below its row, whole.
    const lines = screen.split("\n");
    const row = lines.findIndex((line) => /TaskSucceeded +Lambda Callback$/.test(line));
    const below = lines.slice(row + 1).filter((_line, i, all) => all.slice(0, i + 1).every((l) => /^ {14}\S/.test(l)));
    const decision = JSON.parse(
      below
        .map((line) => line.trim())
        .join(" ")
        .replace(/(["{,:]) /g, "$1"),
    );
    expect(decision).toMatchObject({ Status: "Approved! Task approved by ops@example.com", Via: "approvals CLI" });
  });

  it("deploy fits 80 columns: the change set, events and outputs, each output once, and Next reads stdin", async () => {
    const fresh = `${stack}-d`;
    try {
      open = Terminal.run(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", fresh], { env, columns: 80, rows: 60 });
      expect(await open.exited(40_000)).toBe(0);
      const screen = open.screen();
      expectFits(screen, 80);
      expect(screen).toMatch(/^ACTION +LOGICAL ID +TYPE +REPLACEMENT$/m);
      expect(screen).toMatch(/^Add +HumanApprovalLambdaStateMachine +AWS::\S+$/m);
      expect(screen).toMatch(/^\d\d:\d\d:\d\d {2}CREATE_COMPLETE +\S+ +AWS::CloudFormation::Stack$/m);
      expect(screen.match(/^StateMachineHumanApprovalArn +arn:aws:states:\S+$/gm)).toHaveLength(1);
      expect(screen.match(/^✔ output StateMachineHumanApprovalArn$/gm)).toHaveLength(1);
      expect(screen).not.toMatch(/^✔ output \w+: /m);
      expect(screen).toMatch(/^Next:\n {2}echo '\{"Comment":"Try me"\}' \| approvals start --input - \\\n {4}--stack-name \S+$/m);
    } finally {
      await runCli(["destroy", "--yes", "--stack-name", fresh], { env });
    }
  }, 90_000);

  it("list fits 80 columns", async () => {
    const term = terminal(["list"], 80);
    expect(await term.exited()).toBe(0);
    const screen = term.screen();
    expectFits(screen, 80);
    expect(screen.split("\n").filter((line) => / Waiting /.test(line))).toHaveLength(3);
  });

  it("a decision at 80 columns: list's BY column keeps who decided, show's decision block says by, via and why", async () => {
    const name = await startUnnamed(`${longComment} (decided)`);
    const decided = await runCli(["approve", name, "--reason", "rollback plan reviewed", "--yes", "--stack-name", stack], { env });
    expect(decided.code, decided.stderr).toBe(0);
    const list = terminal(["list"], 80);
    expect(await list.exited()).toBe(0);
    const listed = list.screen();
    expectFits(listed, 80);
    expect(listed).toMatch(/^NAME +OUTCOME +STARTED +DECIDED +WAITED +BY +COMMENT$/m);
    expect(listed).toMatch(/ Approved +.* moto +Release/);
    list.close();
    const show = terminal(["show", name], 80, 80);
    expect(await show.exited()).toBe(0);
    const shown = show.screen();
    const block = shown.slice(shown.indexOf("\nDecision\n") + 1, shown.indexOf("\nWorkflow\n"));
    expect(block).toMatch(
      /^Decision\n {2}outcome {3}Approved\n {2}by {8}arn:aws:sts::\d{12}:user\/moto\n {2}via {7}approvals CLI\n {2}reason {4}rollback plan reviewed\n {2}when {6}\S+Z\n/,
    );
    expectFits(block, 80);
  });

  it("approve's picker fits 80 columns; Ctrl-C in it sends nothing (exit 130)", async () => {
    const term = terminal(["approve"], 80);
    await term.waitFor(/Executions to approve/);
    await term.waitFor(uuids[0]?.slice(0, 8) as string);
    expectFits(term.visible(), 80);
    term.press("C-c");
    expect(await term.exited()).toBe(130);
  });

  it("pending --watch redraws in place, marks arrivals, notes how others ended; Ctrl-C exits 0", async () => {
    const term = terminal(["pending", "--watch", "--interval", "2"], 80);
    await term.waitFor(/3 waiting · updated/);
    const input = JSON.stringify({ Comment: "arrived while watching" });
    const { executionArn = "" } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: "late-arrival", input }));
    await waitForToken(sfn, executionArn);
    let screen = await term.waitFor(/4 waiting · updated/);
    expect(screen).toMatch(/^\+ +late-arrival +\d+ sec ago +\d+ sec +1 hr left +arrived/m);
    const decided = await runCli(["reject", "late-arrival", uuids[1] as string, "--yes", "--stack-name", stack], { env });
    expect(decided.code, decided.stderr).toBe(0);
    await term.waitFor(/2 waiting · updated/);
    screen = term.visible();
    expect(screen).toMatch(/^\d\d:\d\d:\d\d - late-arrival rejected$/m);
    expect(screen).toContain(`- ${uuids[1]} rejected`);
    // Redrawn in place: one header and one status line on the screen, however many refreshes ran.
    expect(screen.match(/^ +NAME +STARTED/gm)).toHaveLength(1);
    expect(screen.match(/waiting · updated/g)).toHaveLength(1);
    expectFits(screen, 80);
    term.press("C-c");
    expect(await term.exited()).toBe(0);
    expect(term.screen()).toMatch(/^Stopped watching\.$/m);
  });
});
