// A decision whose reply is lost is recognised by its DecisionId, not by its bytes: on an emulator
// with the launcher's seventh fix turned off, moto writes the output back with other spacing (and
// nothing promises AWS keeps the bytes either). A private emulator, so the others keep the fix.
import { SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../scripts/emulator.mjs";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { cliEnv, runCli, uniqueStackName } from "../support/cli.js";
import { historyOf, waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("lostid");
const email = "ops@example.com";
let emulator: Emulator;
let direct: Record<string, string | undefined>;

beforeAll(async () => {
  emulator = await startEmulator({ env: { APPROVALS_MOTO_KEEP_OUTPUT_TEXT: "0" } });
  direct = cliEnv({ AWS_ENDPOINT_URL: emulator.endpoint });
  const deployed = await runCli(["deploy", "--email", email, "--yes", "--stack-name", stack], { env: direct });
  expect(deployed.code, deployed.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

async function start(name: string): Promise<string> {
  const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], { env: direct, input: "{}" });
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  await waitForToken(sfn(), executionArn);
  return executionArn;
}

/** An SDK client of the private emulator. */
function sfn(): SFNClient {
  return new SFNClient({
    endpoint: emulator.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
  });
}

/** Approve through a proxy that loses every SendTaskSuccess reply (HTTP 500 after the emulator acted). */
async function approveLosingReplies(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; proxy: EmulatorProxy }> {
  const proxy = await startProxy({
    target: emulator.endpoint,
    lostReplies: [{ operation: "SendTaskSuccess", answer: "500", times: Infinity }],
  });
  try {
    const env = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint, AWS_MAX_ATTEMPTS: "2" };
    const result = await runCli([...args, "--yes", "--stack-name", stack], { env });
    return { ...result, proxy };
  } finally {
    await proxy.stop();
  }
}

/** The TaskSucceeded output Step Functions recorded. */
async function recordedOutput(executionArn: string): Promise<string> {
  const events = await historyOf(sfn(), executionArn);
  return events.find((e) => e.type === "TaskSucceeded")?.taskSucceededEventDetails?.output ?? "";
}

describe("with the emulator rewriting the output's spacing", () => {
  it("the CLI still says its decision was sent and only the reply lost (exit 0), by its DecisionId", async () => {
    const executionArn = await start("by-id");
    const result = await approveLosingReplies(["approve", "by-id", "--reason", "ship it"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("✔ Approved by-id (its reply was lost, but Step Functions recorded this decision)\n");
    expect(result.proxy.received.filter((r) => r.operation === "SendTaskSuccess").map((r) => r.lost)).toEqual(["500", "500"]);
    // What the emulator recorded is not the text sent: the id, not the bytes, told them apart.
    const sent = result.proxy.received.find((r) => r.operation === "SendTaskSuccess");
    const output = JSON.parse(String(sent?.body ?? "{}")).output as string;
    expect(output).toMatch(/^\{"Status":"Approved! Task approved by ops@example\.com","DecidedBy":/);
    const recorded = await recordedOutput(executionArn);
    expect(recorded).not.toBe(output);
    expect(JSON.parse(recorded)).toEqual(JSON.parse(output));
  });

  it("--exact-payload carries no id: the CLI says a decision with the same payload was recorded, which may be its own", async () => {
    await start("same-payload");
    const result = await approveLosingReplies(["approve", "same-payload", "--exact-payload"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      "✔ Approved same-payload (its reply was lost; Step Functions recorded a decision with the same payload, which may be this one)\n",
    );
  });
});
