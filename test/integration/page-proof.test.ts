import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { type RecordedCall, type Recorder, startRecorder } from "../support/recorder.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

// The approval page is on the public internet: before it shows or decides anything, the token in
// the request must be the one the execution it names waits on now. Two stacks share the emulator,
// the loopback API serves both, and a recorder sees every call their approval functions make.

const email = "ops@example.com";
const SECRET = "plan-7731-for-eyes-with-the-token";
const { sfn } = sdk();
const [first, second] = [uniqueStackName("proof"), uniqueStackName("proof")];
let api: ApprovalApi;
let recorder: Recorder;
let env: Record<string, string | undefined>;

interface Waiting {
  executionArn: string;
  token: string;
  /** The page's address (without query) and the state machine name its links carry. */
  base: string;
  sm: string;
}

const run = (stack: string, args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

/** Start an execution on a stack; once it waits, return its token and where its links point. */
async function waiting(stack: string, name: string): Promise<Waiting> {
  const started = await run(stack, ["start", "--input", "-", "--name", name, "--json"], JSON.stringify({ Comment: SECRET, Name: name }));
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  const token = await waitForToken(sfn, executionArn);
  const pending = await run(stack, ["pending", "--links", "--json"]);
  expect(pending.code, pending.stderr).toBe(0);
  const link = new URL(JSON.parse(pending.stdout).find((p: { name: string }) => p.name === name).links.approve);
  return { executionArn, token, base: `${link.origin}${link.pathname}`, sm: link.searchParams.get("sm") ?? "" };
}

interface Answer {
  status: number;
  type: string | null;
  body: string;
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, type: response.headers.get("content-type"), body: await response.text() };
}

/** Open a page as a browser follows a link. */
const open = async (base: string, fields: Record<string, string>) => answerOf(await fetch(`${base}?${new URLSearchParams(fields)}`));

/** Submit the page's form with these fields. */
const post = async (base: string, fields: Record<string, string>) =>
  answerOf(
    await fetch(base, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    }),
  );

/** What Step Functions recorded of the decision: the execution's status and its task results. */
async function stateOf(executionArn: string) {
  const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const ended = (await historyOf(sfn, executionArn)).filter((e) => /^Task(Succeeded|Failed|TimedOut)$/.test(e.type ?? ""));
  return { status, taskResults: ended.length };
}

/**
 * How the recorder pages the approval functions' GetExecutionHistory answers (moto sends one page,
 * oldest first, whatever is asked): `size` events a page, newest or oldest first. Default: as moto.
 */
let paging: { size: number; newestFirst: boolean } | undefined;

function pageHistory(call: RecordedCall, body: string): string {
  if (!paging || call.operation !== "GetExecutionHistory") return body;
  const { size, newestFirst } = paging;
  const events: { id: number }[] = JSON.parse(body).events;
  events.sort((a, b) => (newestFirst ? b.id - a.id : a.id - b.id));
  const from = Number(JSON.parse(call.body).nextToken ?? 0);
  const next = from + size < events.length ? { nextToken: String(from + size) } : {};
  return JSON.stringify({ events: events.slice(from, from + size), ...next });
}

const STILL_WAITING = { status: "RUNNING", taskResults: 0 };
const decisionsSent = () => recorder.calls.filter((c) => /^SendTask/.test(c.operation)).length;

let alpha: Waiting;
let beta: Waiting;
let foreignAlpha: Waiting;
let gamma: Waiting;

describe("the approval page proves the token before it shows or decides", () => {
  beforeAll(async () => {
    recorder = await startRecorder({ target: endpoint(), rewrite: pageHistory });
    api = await startApprovalApi({ endpoint: recorder.endpoint });
    env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
    for (const stack of [first, second]) {
      const deployed = await run(stack, ["deploy", "--email", email, "--yes"]);
      expect(deployed.code, deployed.stderr).toBe(0);
    }
    alpha = await waiting(first, "alpha");
    beta = await waiting(first, "beta");
    // The same name on the other stack, and a name only the other stack has.
    foreignAlpha = await waiting(second, "alpha");
    gamma = await waiting(second, "gamma");
    expect(alpha.base).not.toBe(foreignAlpha.base);
  }, 180_000);

  afterAll(async () => {
    await api?.stop();
    await recorder?.stop();
    for (const stack of [first, second]) await run(stack, ["destroy", "--yes"]);
  });

  it("its own token shows the execution", async () => {
    const page = await open(alpha.base, { action: "approve", ex: "alpha", sm: alpha.sm, taskToken: alpha.token });
    expect(page.status).toBe(200);
    expect(page.body).toContain(SECRET);
  });

  it("any other token, execution or workflow gets one answer, with nothing of any execution, and decides nothing", async () => {
    const forged = `${alpha.token.slice(0, -4)}AAAA`;
    const cases: Record<string, string>[] = [
      { ex: "alpha", sm: alpha.sm, taskToken: forged },
      { ex: "alpha", sm: alpha.sm, taskToken: beta.token },
      { ex: "alpha", taskToken: foreignAlpha.token },
      { ex: "alpha", sm: foreignAlpha.sm, taskToken: foreignAlpha.token },
      { ex: "alpha", sm: foreignAlpha.sm, taskToken: alpha.token },
      { ex: "gamma", taskToken: gamma.token },
      { ex: "nobody", sm: alpha.sm, taskToken: alpha.token },
      { ex: "nobody", sm: alpha.sm, taskToken: "x" },
      { ex: "alpha", sm: alpha.sm, taskToken: "%%not a token%%" },
      { ex: "alpha", sm: alpha.sm, taskToken: "A".repeat(5000) },
      { ex: "alpha:beta", sm: alpha.sm, taskToken: beta.token },
      { ex: "a".repeat(200), sm: alpha.sm, taskToken: alpha.token },
    ];
    recorder.calls.length = 0;
    const answers: Answer[] = [];
    for (const fields of cases) {
      answers.push(await open(alpha.base, { action: "approve", ...fields }));
      for (const action of ["approve", "reject"]) answers.push(await post(alpha.base, { ...fields, action }));
    }
    expect(answers[0]?.status).toBe(404);
    expect(answers.filter((a) => JSON.stringify(a) !== JSON.stringify(answers[0]))).toEqual([]);
    for (const secret of [SECRET, "alpha", "beta", "gamma", "nobody", first, second, alpha.token]) {
      expect(answers[0]?.body).not.toContain(secret);
    }
    expect(decisionsSent()).toBe(0);
    for (const execution of [alpha, beta, foreignAlpha, gamma]) expect(await stateOf(execution.executionArn)).toEqual(STILL_WAITING);
  });

  it("an action that is not one of its own two is a 400 before any call to AWS", async () => {
    const fields = { ex: "beta", sm: beta.sm, taskToken: beta.token };
    // Inherited property names of every object, and near misses.
    const inherited = Object.getOwnPropertyNames(Object.prototype);
    expect(inherited).toEqual(expect.arrayContaining(["__proto__", "constructor", "toString", "hasOwnProperty"]));
    const actions = [...inherited, "", "Approve", "REJECT", "approve ", " reject", "approve\u0000", "prototype", "maybe"];
    recorder.calls.length = 0;
    for (const action of actions) {
      const answer = await post(beta.base, { ...fields, action });
      expect([action, answer.status]).toEqual([action, 400]);
      expect(answer.body).toContain("Nothing was decided");
    }
    const missing = await post(beta.base, fields);
    expect(missing.status).toBe(400);
    expect(recorder.calls).toEqual([]);
    expect(await stateOf(beta.executionArn)).toEqual(STILL_WAITING);
  });

  it("decides the execution it names with that execution's token, and only once", async () => {
    recorder.calls.length = 0;
    const approved = await post(beta.base, { ex: "beta", sm: beta.sm, taskToken: beta.token, action: "approve" });
    expect(approved.status).toBe(200);
    expect(approved.body).toContain("Approved — execution <strong>beta</strong> goes on.");
    expect(decisionsSent()).toBe(1);
    expect((await settled(sfn, beta.executionArn)).status).toBe("SUCCEEDED");
    for (const execution of [alpha, foreignAlpha, gamma]) expect(await stateOf(execution.executionArn)).toEqual(STILL_WAITING);

    // The holder of the spent token is told what happened; no one else is.
    const again = await open(beta.base, { ex: "beta", sm: beta.sm, taskToken: beta.token });
    expect(again.status).toBe(409);
    expect(again.body).toContain("It was approved.");
    const stranger = await open(beta.base, { ex: "beta", sm: beta.sm, taskToken: alpha.token });
    const unknown = await open(beta.base, { ex: "nobody", sm: beta.sm, taskToken: alpha.token });
    expect(stranger.status).toBe(404);
    expect(stranger).toEqual(unknown);
    const late = await post(beta.base, { ex: "beta", sm: beta.sm, taskToken: beta.token, action: "reject" });
    expect(late.status).toBe(409);
    expect(decisionsSent()).toBe(1);
  });

  it("reads every page of the history, in whatever order they come, and stops at the latest task when newest first", async () => {
    const show = { ex: "alpha", sm: alpha.sm, taskToken: alpha.token };
    const spent = { ex: "beta", sm: beta.sm, taskToken: beta.token, action: "reject" };
    const reads = () => recorder.calls.filter((c) => c.operation === "GetExecutionHistory");
    const history = await historyOf(sfn, alpha.executionArn);
    const scheduled = history.filter((e) => e.type === "TaskScheduled").at(-1)?.id ?? 0;
    try {
      // Oldest first, one event a page: the latest task and what closed it come on the last pages.
      paging = { size: 1, newestFirst: false };
      recorder.calls.length = 0;
      expect((await open(alpha.base, show)).status).toBe(200);
      expect(reads()).toHaveLength(history.length);
      expect(JSON.parse(reads()[0]?.body ?? "{}")).toMatchObject({ reverseOrder: true, includeExecutionData: true });
      recorder.calls.length = 0;
      expect((await post(beta.base, spent)).status).toBe(409);
      expect(decisionsSent()).toBe(0);

      // Newest first, as AWS answers reverseOrder: the pages down to the latest TaskScheduled, no more.
      paging = { size: 1, newestFirst: true };
      recorder.calls.length = 0;
      expect((await open(alpha.base, show)).status).toBe(200);
      expect(reads()).toHaveLength(history.filter((e) => (e.id ?? 0) >= scheduled).length);
      recorder.calls.length = 0;
      expect((await post(beta.base, spent)).status).toBe(409);
      expect(decisionsSent()).toBe(0);
    } finally {
      paging = undefined;
    }
    expect(await stateOf(alpha.executionArn)).toEqual(STILL_WAITING);
  });
});
