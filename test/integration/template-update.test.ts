import { resolve } from "node:path";
import { GetTemplateCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApprovalApi, startApprovalApi } from "../../scripts/approval-api.mjs";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { decideOnPage } from "../support/page.js";
import { settled, waitForToken } from "./sfn-helpers.js";

// Stacks deployed from the previous template (GET links that decided, an account-wide
// AWS::ApiGateway::Account) move to the approval page through `approvals deploy`'s change set.

const PREVIOUS = resolve(import.meta.dirname, "../fixtures/previous-template.yaml");
const email = "ops@example.com";
const { cfn, sfn } = sdk();
let api: ApprovalApi;
let env: Record<string, string | undefined>;

const run = (stack: string, args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

async function logicalIds(stack: string): Promise<string[]> {
  const { StackResourceSummaries = [] } = await cfn.send(new ListStackResourcesCommand({ StackName: stack }));
  return StackResourceSummaries.map((r) => r.LogicalResourceId ?? "").sort();
}

/** Start an execution and return its ARN and its links, once it waits. */
async function waiting(stack: string, name: string) {
  const started = await run(stack, ["start", "--input", "-", "--name", name, "--json"], '{"Comment":"update"}');
  expect(started.code, started.stderr).toBe(0);
  const { executionArn } = JSON.parse(started.stdout);
  await waitForToken(sfn, executionArn);
  const pending = await run(stack, ["pending", "--links", "--json"]);
  const links = JSON.parse(pending.stdout).find((p: { name: string }) => p.name === name).links;
  return { executionArn: executionArn as string, links: links as { approve: string; reject: string } };
}

describe("the approval page template over stacks of the previous one", () => {
  beforeAll(async () => {
    api = await startApprovalApi({ endpoint: endpoint() });
    env = cliEnv({ APPROVALS_API_ENDPOINT: api.url });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it("`approvals deploy` updates a stack of the previous template through its change set", async () => {
    const stack = uniqueStackName("upd");
    const old = await run(stack, ["deploy", "--template", PREVIOUS, "--email", email, "--yes"]);
    expect(old.code, old.stderr).toBe(0);
    expect(await logicalIds(stack)).toEqual(expect.arrayContaining(["ApiDeployment", "ApiGatewayCloudWatchLogsRole"]));
    const before = await waiting(stack, "waits-across-update");

    const updated = await run(stack, ["deploy", "--yes"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain(`Stack ${stack}: UPDATE_COMPLETE`);
    expect(updated.stderr).toMatch(/Add\s+ExecutionPostMethod\s+AWS::ApiGateway::Method/);
    expect(updated.stderr).toMatch(/Add\s+ApprovalPageDeployment\s+AWS::ApiGateway::Deployment/);
    expect(updated.stderr).toMatch(/Remove\s+ApiGatewayAccount\s+AWS::ApiGateway::Account/);
    const ids = await logicalIds(stack);
    expect(ids).toEqual(expect.arrayContaining(["ApprovalPageDeployment", "ExecutionHeadMethod", "ExecutionPostMethod"]));
    expect(ids).not.toContain("ApiGatewayCloudWatchLogsRole");
    expect(ids).not.toContain("ApiDeployment");
    // The emulator lists no physical resource for an Account or a Stage, nor for a Method it
    // updated (ExecutionMethod, now a proxy integration): the stack's template says what it holds.
    const { TemplateBody = "" } = await cfn.send(new GetTemplateCommand({ StackName: stack }));
    expect(TemplateBody).toContain("Type: AWS_PROXY");
    expect(TemplateBody).not.toMatch(/Type: "?AWS::ApiGateway::Account/);
    expect(TemplateBody).not.toContain("DataTraceEnabled");

    // The execution that waited through the update is decided on the new page.
    expect(await decideOnPage(before.links.approve, "approve")).toBe(200);
    const done = await settled(sfn, before.executionArn);
    expect(JSON.parse(done.output ?? "null")).toMatchObject({ Status: `Approved! Task approved by ${email}` });
    expect((await run(stack, ["destroy", "--yes"])).code).toBe(0);
  });

  it("two stacks in one region deploy, run and delete independently", async () => {
    const [first, second] = [uniqueStackName("twin"), uniqueStackName("twin")];
    for (const stack of [first, second]) {
      const deployed = await run(stack, ["deploy", "--email", email, "--yes"]);
      expect(deployed.code, deployed.stderr).toBe(0);
    }
    const a = await waiting(first, "twin-a");
    const b = await waiting(second, "twin-b");
    expect(new URL(a.links.approve).pathname).not.toBe(new URL(b.links.approve).pathname);

    expect((await run(first, ["destroy", "--yes"])).code).toBe(0);
    expect(await decideOnPage(b.links.reject, "reject")).toBe(200);
    const done = await settled(sfn, b.executionArn);
    expect(JSON.parse(done.output ?? "null")).toMatchObject({ Status: `Rejected! Task rejected by ${email}` });
    expect((await run(second, ["destroy", "--yes"])).code).toBe(0);
    expect(a.executionArn).toContain(first);
  });
});
