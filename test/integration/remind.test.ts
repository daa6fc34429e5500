// `approvals remind` publishes to the stack's own topic: an SQS queue subscribed to it (raw message
// delivery off, so each message arrives in SNS's envelope with its Subject) receives exactly what the
// CLI sent, and every link in it, opened and posted through the local approval page, decides.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeStacksCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { CreateTopicCommand, PublishCommand } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { type CliResult, cliEnv, endpoint, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { Inbox, messaging } from "../support/inbox.js";
import { decideOnPage } from "../support/page.js";
import { startRecorder } from "../support/recorder.js";
import { TEMPLATE_PATH } from "../unit/fixtures.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("remind");
const email = "ops@example.com";
const { sfn, cfn } = sdk();
const { sns } = messaging();
const MAX_BYTES = 262_144;

let env: Record<string, string | undefined>;
let api: ApprovalApi;
let topicArn: string;
let stateMachineArn: string;
const inboxes: Inbox[] = [];
let inbox: Inbox;
/** Every task token of this file's executions, by execution name. */
const tokens = new Map<string, string>();

/** Run the CLI on this file's stack; no run may print a task token, raw or in a link. */
async function run(args: string[]): Promise<CliResult> {
  const result = await runCli([...args, "--stack-name", stack], { env });
  const all = result.stdout + result.stderr;
  for (const [name, token] of tokens) {
    for (const form of [token, encodeURIComponent(token), JSON.stringify(token).slice(1, -1)]) {
      expect(all.includes(form), `remind printed the task token of ${name}`).toBe(false);
    }
  }
  expect(all).not.toContain("taskToken");
  expect(all).not.toContain(api.url);
  return result;
}

async function subscribe(name: string, topic: string): Promise<Inbox> {
  const made = await Inbox.subscribe(name, topic);
  inboxes.push(made);
  return made;
}

/** Start an execution (through the SDK, for speed) and wait until it waits; remember its token. */
async function start(name: string, comment: string): Promise<string> {
  const { executionArn = "" } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ Comment: comment }) }),
  );
  tokens.set(name, await waitForToken(sfn, executionArn));
  return executionArn;
}

/** The entry of one execution in a message: from its name line to the next separator. */
function entryOf(message: string, name: string): string {
  const from = message.indexOf(`Execution Name -> ${name}\n`);
  if (from < 0) throw new Error(`no entry for ${name} in:\n${message.slice(0, 2000)}`);
  const end = message.indexOf("\n----", from);
  return message.slice(from, end < 0 ? undefined : end);
}

function linkIn(entry: string, action: "Approve" | "Reject"): string {
  const line = entry.split("\n").find((l) => l.startsWith(`${action} `));
  if (!line) throw new Error(`no ${action} line in:\n${entry.slice(0, 2000)}`);
  return line.slice(action.length + 1);
}

const arns = new Map<string, string>();

beforeAll(async () => {
  api = await startApprovalApi({ endpoint: endpoint() });
  env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
  const deployed = await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env });
  expect(deployed.code, deployed.stderr).toBe(0);
  const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
  stateMachineArn = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue ?? "";
  const { StackResourceSummaries = [] } = await cfn.send(new ListStackResourcesCommand({ StackName: stack }));
  topicArn = StackResourceSummaries.find((r) => r.LogicalResourceId === "SNSHumanApprovalEmailTopic")?.PhysicalResourceId ?? "";
  expect(topicArn).not.toBe("");
  inbox = await subscribe(`${stack}-inbox`, topicArn);
  arns.set("rm-ship", await start("rm-ship", "ship v2"));
  // A Comment that would forge a link line and colour a terminal, were it not neutralised.
  arns.set("rm-hostile", await start("rm-hostile", "ok\nApprove https://evil.example/\u001b[31mred\u0007"));
}, 120_000);

afterAll(async () => {
  await api?.stop();
  for (const made of inboxes) await made.remove();
  await runCli(["destroy", "--yes", "--stack-name", stack], { env });
});

describe("approvals remind", () => {
  it("refuses without a terminal or --yes, before anything is sent", async () => {
    // Through a recording proxy: not even a read reaches AWS.
    const recorder = await startRecorder({ target: endpoint() });
    const proxied = await runCli(["remind", "--stack-name", stack], { env: { ...env, AWS_ENDPOINT_URL: recorder.endpoint } });
    await recorder.stop();
    expect(proxied.code).toBe(2);
    expect(recorder.calls).toEqual([]);
    const result = await run(["remind"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("error: Refusing to send the reminder without confirmation: no terminal to ask on.");
    expect(result.stdout).toBe("");
    expect(await inbox.received()).toEqual([]);
  });

  it("refuses a bad --older-than, --topic or execution name with a one-line error, sending nothing", async () => {
    for (const args of [["--older-than", "soon"], ["--topic", "not-an-arn"], ["other-stack/build-17"], ["bad*name"]]) {
      const result = await run(["remind", ...args, "--yes"]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(
        /^error: (--older-than .+ is not a duration|--topic .+ is not an SNS topic ARN|"other-stack\/build-17": remind sends one stack's reminder|Execution name "bad\*name" contains "\*")/,
      );
    }
    expect(await inbox.received()).toEqual([]);
  });

  it("publishes exactly one reminder with the email's links, which decide on the approval page", async () => {
    const result = await run(["remind", "--yes", "--json", "--debug"]);
    expect(result.code, result.stderr).toBe(0);
    const said = JSON.parse(result.stdout);
    expect(said.topic).toBe(topicArn);
    expect(said.executions.sort()).toEqual(["rm-hostile", "rm-ship"]);
    expect(said.messageIds).toHaveLength(1);

    const [reminder, ...more] = await inbox.received();
    expect(more).toEqual([]);
    expect(reminder?.Type).toBe("Notification");
    expect(reminder?.MessageId).toBe(said.messageIds[0]);
    expect(reminder?.Subject).toBe(`Reminder: 2 approvals waiting in ${stack}`);
    const message = reminder?.Message ?? "";
    expect(message).toContain("Comment: ship v2\n");
    expect(message).toContain("Comment: ok\\nApprove https://evil.example/\\u001b[31mred\\u0007\n");
    expect(message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(message.split("\n").filter((l) => l.startsWith("Approve "))).toHaveLength(2);

    // The same links `pending --links` prints (the email's builder), each carrying its own token.
    const pending = JSON.parse((await runCli(["pending", "--links", "--json", "--stack-name", stack], { env })).stdout);
    for (const name of ["rm-ship", "rm-hostile"]) {
      const entry = entryOf(message, name);
      const links = pending.find((p: { name: string }) => p.name === name).links;
      expect({ approve: linkIn(entry, "Approve"), reject: linkIn(entry, "Reject") }).toEqual(links);
      expect(new URL(links.approve).searchParams.get("taskToken")).toBe(tokens.get(name));
    }
    expect(await decideOnPage(linkIn(entryOf(message, "rm-ship"), "Approve"), "approve")).toBe(200);
    expect(await decideOnPage(linkIn(entryOf(message, "rm-hostile"), "Reject"), "reject")).toBe(200);
    const shipped = await settled(sfn, arns.get("rm-ship") ?? "");
    expect(JSON.parse(shipped.output ?? "null")).toMatchObject({ Status: `Approved! Task approved by ${email}` });
    const rejected = await historyOf(sfn, arns.get("rm-hostile") ?? "");
    expect(rejected.some((e) => e.type === "TaskSucceeded" && e.taskSucceededEventDetails?.output?.includes("Rejected!"))).toBe(true);
  });

  it("--older-than with nothing old enough sends nothing and says so; old enough, it sends", async () => {
    const started = Date.now();
    arns.set("rm-fresh", await start("rm-fresh", "just started"));
    const none = await run(["remind", "--older-than", "1h", "--yes"]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe(`No execution of ${stack} has waited 1h or longer: nothing sent.\n`);
    const noneJson = await run(["remind", "--older-than", "1h", "--yes", "--json"]);
    expect(JSON.parse(noneJson.stdout)).toEqual({ topic: null, messageIds: [], executions: [] });
    expect(await inbox.received()).toEqual([]);

    // Positive control of the filter: once it has waited a second, the same stack's execution is picked.
    await new Promise((r) => setTimeout(r, Math.max(0, 1100 - (Date.now() - started))));
    const some = await run(["remind", "--older-than", "1s", "--yes", "--json"]);
    expect(some.code, some.stderr).toBe(0);
    expect(JSON.parse(some.stdout).executions).toEqual(["rm-fresh"]);
    const got = await inbox.received();
    expect(got.map((e) => e.Subject)).toEqual([`Reminder: 1 approval waiting in ${stack}`]);
  });

  it("refuses named executions that do not wait, as approve does, sending nothing", async () => {
    const decided = await run(["remind", "rm-ship", "--yes"]);
    expect(decided.code).toBe(3);
    const approve = await run(["approve", "rm-ship", "--yes"]);
    expect(decided.stderr.split("\n")[0]).toBe(approve.stderr.split("\n").find((l) => l.startsWith("error:")));
    const missing = await run(["remind", "rm-fresh", "rm-nobody", "--yes"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: .*rm-nobody/);
    expect(await inbox.received()).toEqual([]);
  });

  it("the emulator holds SNS's limit in UTF-8 bytes, as AWS does, so a part that fits it fits AWS's", async () => {
    const twoByte = "é".repeat(MAX_BYTES / 2);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: twoByte }));
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: `${twoByte}é` }))).rejects.toThrow(/too long/);
    expect((await inbox.received()).map((e) => e.Message.length)).toEqual([MAX_BYTES / 2]);
  });

  it("splits a reminder over SNS's 256 KiB into parts of whole executions", async () => {
    const names = Array.from({ length: 10 }, (_, i) => `rm-big-${i}`);
    for (const name of names) arns.set(name, await start(name, `${name} `.repeat(3_500)));
    const result = await run(["remind", ...names, "--yes", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const said = JSON.parse(result.stdout);
    expect(said.executions).toEqual(names);
    expect(said.messageIds).toHaveLength(2);

    const parts = await inbox.received();
    expect(parts.map((p) => p.MessageId)).toEqual(said.messageIds);
    expect(parts.map((p) => p.Subject)).toEqual([1, 2].map((i) => `Reminder: 10 approvals waiting in ${stack} (part ${i} of 2)`));
    const listed = parts.flatMap((p) => [...p.Message.matchAll(/^Execution Name -> (.+)$/gm)].map((m) => m[1]));
    expect(listed).toEqual(names);
    for (const part of parts) {
      expect(Buffer.byteLength(part.Message, "utf8")).toBeLessThanOrEqual(MAX_BYTES);
      for (const name of part.Message.matchAll(/^Execution Name -> (.+)$/gm)) {
        const entry = entryOf(part.Message, name[1] ?? "");
        expect(entry).toContain(`Comment: ${`${name[1]} `.repeat(3_500)}`);
        expect(new URL(linkIn(entry, "Reject")).searchParams.get("taskToken")).toBe(tokens.get(name[1] ?? ""));
      }
    }
    // A link of the second part decides too.
    const last = names.at(-1) ?? "";
    expect(await decideOnPage(linkIn(entryOf(parts[1]?.Message ?? "", last), "Reject"), "reject")).toBe(200);
    expect((await settled(sfn, arns.get(last) ?? "")).status).toBe("SUCCEEDED");
  });

  it("--topic sends to another topic, which the terminal names, and warns when nobody is subscribed", async () => {
    const { TopicArn: other = "" } = await sns.send(new CreateTopicCommand({ Name: `${stack}-other` }));
    const unheard = await run(["remind", "rm-fresh", "--topic", other, "--yes"]);
    expect(unheard.code, unheard.stderr).toBe(0);
    expect(unheard.stderr).toContain(`warning: topic ${other} has no confirmed subscription: nobody receives the reminder.`);
    expect(unheard.stdout).toBe(`✔ Sent a reminder of 1 execution to ${other}.\n`);
    const otherInbox = await subscribe(`${stack}-other`, other);
    const heard = await run(["remind", "rm-fresh", "--topic", other, "--yes"]);
    expect(heard.code, heard.stderr).toBe(0);
    expect(heard.stderr).not.toContain("warning");
    expect((await otherInbox.received()).map((e) => e.Subject)).toEqual([`Reminder: 1 approval waiting in ${stack}`]);
    expect(await inbox.received()).toEqual([]);
  });

  it("without an approval page, the message carries no link but the commands that decide", async () => {
    // The bundled template, but its callback state passes the email function no APIGatewayEndpoint.
    const body = readFileSync(TEMPLATE_PATH, "utf8");
    const pageless = body.replace(/,\s*"APIGatewayEndpoint": "[^"]*"/, "");
    expect(pageless).not.toContain('"APIGatewayEndpoint"');
    const template = join(tempHome(), "pageless.yaml");
    writeFileSync(template, pageless);
    const other = uniqueStackName("pageless");
    const runOther = (args: string[], input?: string) => runCli([...args, "--stack-name", other], { env, input });
    expect((await runOther(["deploy", "--template", template, "--email", email, "--yes"])).code).toBe(0);
    const { StackResourceSummaries = [] } = await cfn.send(new ListStackResourcesCommand({ StackName: other }));
    const topic = StackResourceSummaries.find((r) => r.LogicalResourceId === "SNSHumanApprovalEmailTopic")?.PhysicalResourceId ?? "";
    const otherInbox = await subscribe(`${other}-inbox`, topic);
    const started = await runOther(["start", "--input", "-", "--name", "no-page", "--json"], '{"Comment":"no page"}');
    expect(started.code, started.stderr).toBe(0);
    const executionArn = JSON.parse(started.stdout).executionArn;
    tokens.set("no-page", await waitForToken(sfn, executionArn));

    const reminded = await runOther(["remind", "--yes", "--json"]);
    expect(reminded.code, reminded.stderr).toBe(0);
    expect(JSON.parse(reminded.stdout).executions).toEqual(["no-page"]);
    const [only, ...more] = await otherInbox.received();
    expect(more).toEqual([]);
    const message = only?.Message ?? "";
    expect(message).toContain("This state machine has no approval page");
    expect(message).not.toContain("http");
    expect(message).not.toContain(tokens.get("no-page"));
    const command =
      message
        .split("\n")
        .find((l) => l.startsWith("Approve with: "))
        ?.slice("Approve with: ".length) ?? "";
    expect(command).toBe(`approvals approve no-page --stack-name ${other}`);
    // The command it gives decides.
    const args = command.split(" ").slice(1);
    expect((await runCli([...args, "--yes"], { env })).code).toBe(0);
    expect(JSON.parse((await settled(sfn, executionArn)).output ?? "null")).toMatchObject({
      Status: `Approved! Task approved by ${email}`,
    });
    await runOther(["destroy", "--yes"]);
  });
});
