import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { findChromium } from "../support/browser.js";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { historyOf, settled, waitForToken } from "./sfn-helpers.js";

// A real browser (a Chromium driven by playwright-core: see findChromium for which) opens the links
// `pending --links` prints, served by the loopback stand-in for API Gateway running the template's
// own function code.

// Screenshots go to a scratch folder; APPROVALS_UPDATE_SCREENSHOTS=1 writes README's copies in docs/.
const SHOTS = process.env.APPROVALS_UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, "../../docs")
  : mkdtempSync(join(tmpdir(), "approvals-screenshots-"));
const stack = uniqueStackName("page");
const email = "ops@example.com";
const input = { Comment: "Ship release 2.4 <today>", Ticket: "OPS-1234", Amount: 42 };
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";

const { sfn } = sdk();
let api: ApprovalApi;
// Every AWS request the approval function makes passes through this recorder.
let recorder: Recorder;
let browser: BrowserContext;
let userDataDir: string;
let env: Record<string, string | undefined>;
const functionLogs: string[] = [];
const tokens = new Set<string>();
const cspViolations: string[] = [];

const run = (args: string[], stdin?: string) => runCli([...args, "--stack-name", stack], { env, input: stdin });

/** Start an execution; once it waits, return its ARN and the links `pending --links` prints for it. */
async function waiting(name: string) {
  const started = await run(["start", "--input", "-", "--name", name, "--json"], JSON.stringify(input));
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  tokens.add(await waitForToken(sfn, executionArn));
  const pending = await run(["pending", "--links", "--json"]);
  expect(pending.code, pending.stderr).toBe(0);
  const links = JSON.parse(pending.stdout).find((p: { name: string }) => p.name === name)?.links;
  expect(links.approve.startsWith(`${api.url}/`)).toBe(true);
  recorder.calls.length = 0;
  return { executionArn: executionArn as string, links: links as { approve: string; reject: string } };
}

/**
 * What was decided: the execution's status, its task results in history (parsed: the emulator
 * re-serialises them), and the exact `output` of every SendTaskSuccess the approval function sent.
 */
async function decided(executionArn: string) {
  const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
  const outputs = (await historyOf(sfn, executionArn))
    .filter((e) => e.type === "TaskSucceeded" || e.type === "TaskFailed")
    .map((e) => JSON.parse(e.taskSucceededEventDetails?.output ?? "null"));
  const sent = recorder.calls.filter((c) => c.operation === "SendTaskSuccess").map((c) => JSON.parse(c.body).output);
  return { status, outputs, sent };
}

/** What a mail scanner or a chat preview does with a link: open it without a browser. */
async function scan(link: string) {
  const curl = await fetch(link, { headers: { "User-Agent": "curl/8.5.0", Accept: "*/*" } });
  expect(curl.status).toBe(200);
  expect(await curl.text()).toContain('<form method="post"');
  const head = await fetch(link, { method: "HEAD", headers: { "User-Agent": "Mozilla/5.0 (compatible; SafeLinks)" } });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe("");
  const preview = await fetch(link, { headers: { "User-Agent": SLACKBOT } });
  expect(preview.status).toBe(200);
  await preview.text();
}

async function openPage(link: string): Promise<Page> {
  const page = await browser.newPage();
  page.on("console", (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const response = await page.goto(link);
  expect(response?.status()).toBe(200);
  const headers = response?.headers() ?? {};
  expect(headers).toMatchObject({
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
  });
  expect(headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; form-action 'self'/);
  return page;
}

/** Press a button of the page's form; return the answer's status and the page's heading and text. */
async function press(page: Page, button: "Approve" | "Reject") {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: button }).click(),
  ]);
  await page.waitForLoadState();
  return { status: response.status(), heading: await page.locator("h1").textContent(), text: await page.locator("main").textContent() };
}

describe("the approval page in a real browser", () => {
  beforeAll(async () => {
    const { executablePath } = await findChromium();
    recorder = await startRecorder({ target: endpoint() });
    api = await startApprovalApi({ endpoint: recorder.endpoint, onLogs: (logs) => functionLogs.push(logs) });
    env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
    const deployed = await run(["deploy", "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    userDataDir = mkdtempSync(join(tmpdir(), "approvals-chromium-"));
    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      // The page must work without JavaScript.
      javaScriptEnabled: false,
      viewport: { width: 480, height: 720 },
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await api?.stop();
    await recorder?.stop();
    await run(["destroy", "--yes"]);
  });

  it("opening the link shows the execution and decides nothing; Approve decides once", async () => {
    const { executionArn, links } = await waiting("release-2-4");
    await scan(links.approve);
    const page = await openPage(links.approve);
    const text = await page.locator("main").textContent();
    expect(text).toContain("release-2-4");
    expect(text).toMatch(new RegExp(`${stack}-HumanApprovalLambdaStateMachine-`));
    expect(text).toContain("Ship release 2.4 <today>");
    expect(text).toMatch(/Time left\s*(59|60) minutes \(times out at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)/);
    expect(text).toContain('"Ticket": "OPS-1234"');
    // A second tab still shows the form: submitting it later is a resubmission.
    const stale = await openPage(links.reject);
    expect(await decided(executionArn)).toEqual({ status: "RUNNING", outputs: [], sent: [] });

    await page.getByLabel(/Reason/).fill("Checked the rollback plan.\nShip it.");
    await page.screenshot({ path: join(SHOTS, "approval-page.png"), fullPage: true });
    const approved = await press(page, "Approve");
    expect(approved).toMatchObject({ status: 200, heading: "Approved" });
    expect(approved.text).toContain("Approved — execution release-2-4 goes on.");
    expect(await page.getByRole("link", { name: /Step Functions console/ }).getAttribute("href")).toBe(
      `https://console.aws.amazon.com/states/home?region=us-east-1#/executions/details/${executionArn}`,
    );
    await page.screenshot({ path: join(SHOTS, "approval-result.png"), fullPage: true });
    await settled(sfn, executionArn);
    const expected = await decided(executionArn);
    const [payload = ""] = expected.sent;
    // The Status first and unchanged, then what the page can say of who decided: the link's holder, never an IAM identity.
    expect(payload.startsWith(`{"Status":"Approved! Task approved by ${email}","DecidedBy":`)).toBe(true);
    expect(expected).toEqual({
      status: "SUCCEEDED",
      outputs: [
        {
          Status: `Approved! Task approved by ${email}`,
          DecidedBy: `the holder of the link mailed to ${email} (from 127.0.0.1)`,
          Via: "approval page",
          Reason: "Checked the rollback plan.\nShip it.",
          DecisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      ],
      sent: [payload],
    });

    const again = await press(stale, "Reject");
    expect(again).toMatchObject({ status: 409, heading: "Already decided" });
    expect(again.text).toContain("It was approved.");
    // The resubmission was refused before anything was sent: the one decision stands.
    expect(await decided(executionArn)).toEqual(expected);
    const reopened = await fetch(links.approve);
    expect(reopened.status).toBe(409);
  });

  it("Reject decides once, and the page says so to every later visitor", async () => {
    const { executionArn, links } = await waiting("release-2-5");
    await scan(links.reject);
    const page = await openPage(links.reject);
    const stale = await openPage(links.approve);
    await scan(links.approve);
    expect(await decided(executionArn)).toEqual({ status: "RUNNING", outputs: [], sent: [] });

    const rejected = await press(page, "Reject");
    expect(rejected).toMatchObject({ status: 200, heading: "Rejected" });
    expect(rejected.text).toContain("Rejected — execution release-2-5");
    await settled(sfn, executionArn);
    const expected = await decided(executionArn);
    expect(expected.status).toBe("SUCCEEDED");
    expect(expected.sent).toHaveLength(1);
    // No reason given: none recorded.
    expect(Object.keys(JSON.parse(expected.sent[0] ?? ""))).toEqual(["Status", "DecidedBy", "Via", "DecisionId"]);
    expect(expected.outputs).toEqual([JSON.parse(expected.sent[0] ?? "")]);
    expect(expected.outputs[0]).toMatchObject({ Status: `Rejected! Task rejected by ${email}` });

    const again = await press(stale, "Approve");
    expect(again).toMatchObject({ status: 409, heading: "Already decided" });
    expect(again.text).toContain("It was rejected.");
    expect(await decided(executionArn)).toEqual(expected);
    const later = await openPageStatus(links.approve);
    expect(later).toMatchObject({ status: 409, heading: "Already decided" });
  });

  it("a link whose token is not its execution's shows nothing of any execution and decides nothing", async () => {
    const one = await waiting("release-2-6");
    const other = await waiting("release-2-7");
    const crossed = new URL(one.links.approve);
    crossed.searchParams.set("ex", "release-2-7");
    const forged = new URL(other.links.approve);
    forged.searchParams.set("taskToken", `${forged.searchParams.get("taskToken")?.slice(0, -6)}AAAAAA`);
    const unknown = new URL(other.links.approve);
    unknown.searchParams.set("ex", "release-9-9");

    const seen = [];
    for (const link of [crossed, forged, unknown]) {
      const page = await browser.newPage();
      const response = await page.goto(link.href);
      seen.push({
        status: response?.status(),
        heading: await page.locator("h1").textContent(),
        text: await page.locator("main").textContent(),
      });
      expect(await page.locator("form").count()).toBe(0);
      if (link === crossed) await page.screenshot({ path: join(SHOTS, "approval-refused.png"), fullPage: true });
    }
    expect(seen[0]).toMatchObject({ status: 404, heading: "Link not valid" });
    expect(seen[0]?.text).toContain("Nothing was shown or decided.");
    expect(seen[0]?.text).not.toMatch(/release|Ship|OPS-1234/);
    expect(seen).toEqual([seen[0], seen[0], seen[0]]);
    for (const { executionArn } of [one, other]) expect(await decided(executionArn)).toEqual({ status: "RUNNING", outputs: [], sent: [] });
  });

  it("the page's styles obey its own Content-Security-Policy, and the function logs hold no token", () => {
    expect(cspViolations).toEqual([]);
    expect(functionLogs.length).toBeGreaterThan(10);
    const logs = functionLogs.join("\n");
    for (const token of tokens) {
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(encodeURIComponent(token));
    }
  });
});

async function openPageStatus(link: string) {
  const page = await browser.newPage();
  const response = await page.goto(link);
  return { status: response?.status(), heading: await page.locator("h1").textContent() };
}
