import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, tempHome, uniqueStackName } from "../support/cli.js";
import { TEMPLATE_PATH } from "../unit/fixtures.js";
import { historyOf, settled, statesEntered, waitForToken } from "./sfn-helpers.js";

const email = "ops@example.com";
const { sfn } = sdk();

/** The bundled template with its callback state renamed and another TimeoutSeconds. */
function variantTemplate(timeoutSeconds: number): string {
  const body = readFileSync(TEMPLATE_PATH, "utf8")
    .replaceAll("Lambda Callback", "Ask a human")
    .replace('"TimeoutSeconds": 3600', `"TimeoutSeconds": ${timeoutSeconds}`);
  expect(body).toContain(`"TimeoutSeconds": ${timeoutSeconds}`);
  const path = join(tempHome(), `variant-${timeoutSeconds}.yaml`);
  writeFileSync(path, body);
  return path;
}

/**
 * The bundled template whose callback state catches `Withdrawn` and reads the operator's cause back
 * from the record `fail` wraps it in, as docs/security.md ("Who decided") says a Catch does.
 */
function catchingTemplate(): string {
  const body = readFileSync(TEMPLATE_PATH, "utf8")
    .replace(
      '"Next": "ManualApprovalChoiceState"',
      '"Next": "ManualApprovalChoiceState", "Catch": [{"ErrorEquals": ["Withdrawn"], "ResultPath": "$.error", "Next": "ReadCause"}]',
    )
    .replace(
      '"ApprovedPassState": {',
      '"ReadCause": {"Type": "Pass", "Parameters": {"record.$": "States.StringToJson($.error.Cause)"}, "End": true}, "ApprovedPassState": {',
    );
  expect(body).toContain('"ReadCause": {');
  const path = join(tempHome(), "catching.yaml");
  writeFileSync(path, body);
  return path;
}

describe("a deployed definition that differs from the bundled one", () => {
  let env: Record<string, string | undefined>;

  beforeAll(() => {
    env = cliEnv();
  });

  it("reads the callback state and the timeout from the deployed definition", async () => {
    const stackName = uniqueStackName("variant");
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
    const deployed = await run(["deploy", "--template", variantTemplate(600), "--email", email, "--yes"]);
    expect(deployed.code).toBe(0);
    expect(deployed.stdout).toMatch(/^✔ state machine: "Ask a human" waits for a task token$/m);

    const started = JSON.parse((await run(["start", "--input", "-", "--name", "renamed", "--json"], '{"Comment":"x"}')).stdout);
    await waitForToken(sfn, started.executionArn);
    const [entry] = JSON.parse((await run(["pending", "--json"])).stdout);
    expect(entry.name).toBe("renamed");
    expect(Date.parse(entry.expiresAt) - Date.parse(entry.startDate)).toBe(600 * 1000);

    expect((await run(["approve", "renamed", "--yes"])).code).toBe(0);
    const execution = await settled(sfn, started.executionArn);
    expect(JSON.parse(execution.output ?? "")).toMatchObject({ Status: `Approved! Task approved by ${email}` });
    expect(statesEntered(await historyOf(sfn, started.executionArn))).toEqual([
      "Ask a human",
      "ManualApprovalChoiceState",
      "ApprovedPassState",
    ]);
    expect((await run(["destroy", "--yes"])).code).toBe(0);
  });

  it("a Catch reads the operator's cause, and who failed it, from fail's cause", async () => {
    const stackName = uniqueStackName("catch");
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
    const deployed = await run(["deploy", "--template", catchingTemplate(), "--email", email, "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = JSON.parse((await run(["start", "--input", "-", "--name", "withdrawn", "--json"], '{"Comment":"x"}')).stdout);
    await waitForToken(sfn, started.executionArn);

    const failed = await run(["fail", "withdrawn", "--error", "Withdrawn", "--cause", "asked to stop", "--yes"]);
    expect(failed.code, failed.stderr).toBe(0);
    const execution = await settled(sfn, started.executionArn);
    expect(execution.status).toBe("SUCCEEDED");
    expect(JSON.parse(execution.output ?? "")).toEqual({
      record: {
        Cause: "asked to stop",
        DecidedBy: expect.stringMatching(/^arn:aws:/),
        Via: "approvals CLI",
        DecisionId: expect.any(String),
      },
    });
    expect(statesEntered(await historyOf(sfn, started.executionArn))).toEqual(["Lambda Callback", "ReadCause"]);
    expect((await run(["destroy", "--yes"])).code).toBe(0);
  });

  it("refuses to decide an execution that timed out (exit 3), sending nothing", async () => {
    const stackName = uniqueStackName("timeout");
    const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stackName], { env, input });
    expect((await run(["deploy", "--template", variantTemplate(1), "--email", email, "--yes"])).code).toBe(0);

    const started = JSON.parse((await run(["start", "--input", "-", "--name", "too-late", "--json"], '{"Comment":"x"}')).stdout);
    expect((await settled(sfn, started.executionArn)).status).toBe("TIMED_OUT");
    const before = await historyOf(sfn, started.executionArn);

    const pending = await run(["pending", "--json"]);
    expect(JSON.parse(pending.stdout)).toEqual([]);
    const approve = await run(["approve", "too-late", "--yes", "--debug"]);
    expect(approve.code).toBe(3);
    expect(approve.stderr).toMatch(/^error: Execution too-late is not waiting: it timed out/m);
    expect(approve.stderr).not.toMatch(/SendTask(Success|Failure)/);
    expect(await historyOf(sfn, started.executionArn)).toEqual(before);
    expect((await run(["destroy", "--yes"])).code).toBe(0);
  });
});
