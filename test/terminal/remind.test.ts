// `approvals remind` at a terminal: it shows the names it will list (never a link or a token), the topic
// and its confirmed subscriptions, warns when nobody would receive it, and sends only on "yes".
import { ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { waitForToken } from "../integration/sfn-helpers.js";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { Inbox, messaging } from "../support/inbox.js";
import { hasTmux, Terminal } from "./tmux.js";

const tmux = hasTmux();
const stack = uniqueStackName("ttyremind");
let env: Record<string, string | undefined>;
let inbox: Inbox;
let open: Terminal | undefined;
const tokens: string[] = [];

function terminal(args: string[]): Terminal {
  open = Terminal.run([...args, "--stack-name", stack], { env });
  return open;
}

async function start(name: string): Promise<void> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], {
    env,
    input: JSON.stringify({ Comment: `remind me of ${name}` }),
  });
  expect(started.code, started.stderr).toBe(0);
  tokens.push(await waitForToken(sdk().sfn, JSON.parse(started.stdout).executionArn));
}

function expectNoSecret(screen: string): void {
  expect(screen).not.toContain("http");
  for (const token of tokens) {
    expect(screen).not.toContain(token);
    expect(screen).not.toContain(encodeURIComponent(token));
  }
}

const title = tmux ? "remind in a real terminal (tmux)" : "remind in a real terminal: SKIPPED, tmux is not installed";

describe.skipIf(!tmux)(title, () => {
  beforeAll(async () => {
    env = { ...cliEnv(), NO_COLOR: undefined };
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const { StackResourceSummaries = [] } = await sdk().cfn.send(new ListStackResourcesCommand({ StackName: stack }));
    const topicArn = StackResourceSummaries.find((r) => r.LogicalResourceId === "SNSHumanApprovalEmailTopic")?.PhysicalResourceId ?? "";
    inbox = await Inbox.subscribe(`${stack}-inbox`, topicArn);
    await start("tty-remind-a");
    await start("tty-remind-b");
  });

  afterEach(() => {
    open?.close();
    open = undefined;
  });

  afterAll(async () => {
    await inbox?.remove();
    await runCli(["destroy", "--yes", "--stack-name", stack], { env });
  });

  it("shows the names, the topic and its confirmed subscriptions; no sends nothing, yes sends one message", async () => {
    const declined = terminal(["remind"]);
    const asked = await declined.waitFor("Send the reminder of 2 executions to this topic?");
    // The email subscription (the emulator confirms it at once) and the queue.
    expect(asked).toContain(`Reminder to ${inbox.topicArn} (2 confirmed subscriptions):`);
    expect(asked).toMatch(/^ {2}tty-remind-b {2}waiting \d+ sec$/m);
    expect(asked).toMatch(/^ {2}tty-remind-a {2}waiting \d+ sec$/m);
    expect(asked).not.toContain("warning");
    expectNoSecret(asked);
    declined.press("n", "Enter");
    expect(await declined.exited()).toBe(1);
    expect(await inbox.received()).toEqual([]);

    const accepted = terminal(["remind", "tty-remind-a"]);
    await accepted.waitFor("Send the reminder of 1 execution to this topic?");
    accepted.press("y", "Enter");
    expect(await accepted.exited()).toBe(0);
    const screen = accepted.screen();
    expect(screen).toContain(`Sent a reminder of 1 execution to ${inbox.topicArn}.`);
    expectNoSecret(screen);
    const got = await inbox.received();
    expect(got.map((e) => e.Subject)).toEqual([`Reminder: 1 approval waiting in ${stack}`]);
    expect(got[0]?.Message).toContain("Execution Name -> tty-remind-a\n");
  });

  it("warns before asking when the topic has no confirmed subscription", async () => {
    const { TopicArn = "" } = await messaging().sns.send(new CreateTopicCommand({ Name: `${stack}-nobody` }));
    const tty = terminal(["remind", "--topic", TopicArn]);
    const asked = await tty.waitFor("Send the reminder of 2 executions to this topic?");
    expect(asked).toContain(`Reminder to ${TopicArn} (0 confirmed subscriptions):`);
    expect(asked).toContain(`warning: topic ${TopicArn} has no confirmed subscription: nobody receives the reminder.`);
    tty.press("C-c");
    expect(await tty.exited()).toBe(130);
    expect(await inbox.received()).toEqual([]);
  });
});
