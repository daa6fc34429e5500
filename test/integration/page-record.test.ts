// What the approval page records with its decision, through the loopback stand-in for API Gateway's
// Lambda proxy integration: the email's Status, who holds the link (never an IAM identity) and from
// which address, the page as the door, the form's optional reason (bounded, refused with a 400
// before anything is sent when too long or holding control characters) and a fresh DecisionId.
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { settled, waitForToken } from "./sfn-helpers.js";

const email = "ops@example.com";
const stack = uniqueStackName("pagerec");
const { sfn } = sdk();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let api: ApprovalApi;
let recorder: Recorder;
let env: Record<string, string | undefined>;

const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

/** Start an execution; once it waits, the fields of its page's form and where the form posts. */
async function waiting(name: string): Promise<{ executionArn: string; base: string; fields: Record<string, string> }> {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], "{}");
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  const token = await waitForToken(sfn, executionArn);
  const pending = await run(["pending", "--links", "--json"]);
  const link = new URL(JSON.parse(pending.stdout).find((p: { name: string }) => p.name === name).links.approve);
  const fields = { ex: name, sm: link.searchParams.get("sm") ?? "", taskToken: token };
  return { executionArn, base: `${link.origin}${link.pathname}`, fields };
}

/** Submit the page's form as a browser does (line breaks in a textarea as CR LF). */
async function post(base: string, fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const response = await fetch(base, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.text() };
}

/** The outputs the approval function sent with SendTaskSuccess since the last call. */
function sentOutputs(): Record<string, unknown>[] {
  const sent = recorder.calls.filter((c) => c.operation === "SendTaskSuccess").map((c) => JSON.parse(JSON.parse(c.body).output));
  recorder.calls.length = 0;
  return sent;
}

beforeAll(async () => {
  recorder = await startRecorder({ target: endpoint() });
  api = await startApprovalApi({ endpoint: recorder.endpoint });
  env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
  const deployed = await run(["deploy", "--email", email, "--yes"]);
  expect(deployed.code, deployed.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await api?.stop();
  await recorder?.stop();
  await run(["destroy", "--yes"]);
});

describe("the approval page's decision record", () => {
  it("shows an optional reason field, bounded to 500 characters", async () => {
    const { base, fields } = await waiting("page-form");
    const page = await fetch(`${base}?${new URLSearchParams(fields)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<textarea id="reason" name="reason" maxlength="500" rows="3"></textarea>');
  });

  it("Approve with a reason: the Status unchanged, then the link's holder and address, the page, the reason, an id", async () => {
    const { executionArn, base, fields } = await waiting("page-reason");
    recorder.calls.length = 0;
    const answer = await post(base, { ...fields, action: "approve", reason: "  checked the diff\r\nand the tests  " });
    expect(answer.status).toBe(200);
    const [output, ...more] = sentOutputs();
    expect(more).toEqual([]);
    expect(output).toEqual({
      Status: `Approved! Task approved by ${email}`,
      DecidedBy: `the holder of the link mailed to ${email} (from 127.0.0.1)`,
      Via: "approval page",
      Reason: "checked the diff\nand the tests",
      DecisionId: expect.stringMatching(UUID),
    });
    expect(Object.keys(output ?? {})[0]).toBe("Status");
    expect(JSON.stringify(output)).not.toMatch(/arn:/);
    expect((await settled(sfn, executionArn)).status).toBe("SUCCEEDED");
    // Read back by the CLI as what it is.
    const shown = await run(["show", "page-reason"]);
    expect(shown.stdout).toContain(`  by        the holder of the link mailed to ${email} (from 127.0.0.1)\n  via       approval page\n`);
  });

  it("Reject without a reason records none", async () => {
    const { base, fields } = await waiting("page-no-reason");
    recorder.calls.length = 0;
    expect((await post(base, { ...fields, action: "reject", reason: "" })).status).toBe(200);
    const [output] = sentOutputs();
    expect(Object.keys(output ?? {})).toEqual(["Status", "DecidedBy", "Via", "DecisionId"]);
    expect(output?.Status).toBe(`Rejected! Task rejected by ${email}`);
  });

  it.each([
    ["of 501 characters", "x".repeat(501), "The reason is longer than 500 characters."],
    ["holding an escape", "fine\u001b[2Jgone", "The reason holds a control character."],
    ["holding a lone carriage return", "a\rb", "The reason holds a control character."],
  ])("a reason %s is refused with a 400 and nothing is sent", async (_label, reason, message) => {
    const { executionArn, base, fields } = await waiting(`page-bad-${Math.random().toString(36).slice(2, 8)}`);
    recorder.calls.length = 0;
    const answer = await post(base, { ...fields, action: "approve", reason });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<h1>Reason not accepted</h1>");
    expect(answer.body).toContain(message);
    expect(recorder.calls).toEqual([]);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe("RUNNING");
  });

  it("a reason of exactly 500 characters, in two-unit characters too, is taken", async () => {
    const { base, fields } = await waiting("page-500");
    recorder.calls.length = 0;
    const reason = "😀".repeat(500);
    expect((await post(base, { ...fields, action: "approve", reason })).status).toBe(200);
    expect(sentOutputs()[0]?.Reason).toBe(reason);
  });
});
