// Ctrl-C during a batch of decisions: the first one starts no further send, lets those in flight
// finish and reports each execution (exit 130); a second one exits at once naming what is in flight.
// The fault proxy holds every SendTaskSuccess back, so the signal lands mid-batch, and records what
// reached the emulator.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { deployStack, endpoint, runCli, sdk, startCli, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { historyOf, waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("sigint");
const email = "ops@example.com";
/** More executions than the CLI sends at once, so some are still to be sent when Ctrl-C comes. */
const BATCH = 14;
const HOLD_MS = 1500;
let proxy: EmulatorProxy;
let direct: Record<string, string | undefined>;
let stateMachineArn: string;

beforeAll(async () => {
  direct = await deployStack(stack, email);
  const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: stack }));
  stateMachineArn = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue ?? "";
});

afterEach(async () => {
  await proxy?.stop();
});

/** Start `count` executions straight at the emulator and wait until each waits for its token. */
async function waiting(prefix: string, count: number): Promise<Map<string, string>> {
  const { sfn } = sdk();
  const arns = new Map<string, string>();
  for (let i = 1; i <= count; i++) {
    const name = `${prefix}-${i}`;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: "{}" }));
    arns.set(name, executionArn ?? "");
  }
  for (const arn of arns.values()) await waitForToken(sfn, arn);
  return arns;
}

async function untilReceived(operation: string, count: number): Promise<void> {
  await eventually(() => (proxy.stats.calls[operation] ?? 0) >= count, {
    deadline: 30_000,
    interval: 20,
    what: `${count} ${operation} calls at the proxy`,
  });
}

describe("Ctrl-C during a batch of decisions", () => {
  it("sends nothing more, lets the sends in flight finish, reports each execution and exits 130", async () => {
    const arns = await waiting("batch", BATCH);
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: HOLD_MS, operation: "SendTaskSuccess" }] });
    const approve = startCli(["approve", ...arns.keys(), "--yes", "--json", "--stack-name", stack], {
      env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    await untilReceived("SendTaskSuccess", 1);
    approve.child.kill("SIGINT");
    const result = await approve.done;

    expect(result.code).toBe(130);
    const outcomes: { name: string; sent: boolean; interrupted?: boolean }[] = JSON.parse(result.stdout);
    const sent = outcomes.filter((o) => o.sent).map((o) => o.name);
    const skipped = outcomes.filter((o) => o.interrupted).map((o) => o.name);
    expect(outcomes).toHaveLength(BATCH);
    expect(sent.length + skipped.length).toBe(BATCH);
    expect(skipped.length).toBeGreaterThan(0);
    expect(result.stderr).toContain(`error: Interrupted: ${sent.length} of ${BATCH} decisions sent, ${skipped.length} not sent.\n`);
    expect(result.stderr).toContain(`hint: Send the rest with \`approvals approve ${skipped.join(" ")} --stack-name ${stack}\`.`);
    // What reached the emulator is exactly what the CLI reports as sent.
    expect(proxy.received.filter((r) => r.operation === "SendTaskSuccess")).toHaveLength(sent.length);
    const { sfn } = sdk();
    for (const [name, arn] of arns) {
      const decided = (await historyOf(sfn, arn)).some((e) => e.type === "TaskSucceeded");
      expect(decided, name).toBe(sent.includes(name));
    }
  });

  it("in words: a line per execution, sent or not", async () => {
    const arns = await waiting("words", 12);
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: HOLD_MS, operation: "SendTaskSuccess" }] });
    const reject = startCli(["reject", ...arns.keys(), "--yes", "--stack-name", stack], {
      env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    await untilReceived("SendTaskSuccess", 1);
    reject.child.kill("SIGINT");
    const result = await reject.done;

    expect(result.code).toBe(130);
    const [summary, ...lines] = result.stdout.trimEnd().split("\n").reverse();
    expect(lines).toHaveLength(12);
    for (const line of lines) expect(line).toMatch(/^(✔ Rejected words-\d+|✖ words-\d+: not sent: interrupted)$/);
    const rejected = lines.filter((l) => l.startsWith("✔")).length;
    expect(summary).toBe(`${rejected} rejected, ${12 - rejected} not sent`);
    expect(proxy.received.filter((r) => r.operation === "SendTaskSuccess")).toHaveLength(rejected);
  });

  it("a second Ctrl-C exits at once, naming the decisions that may still land", async () => {
    const arns = await waiting("twice", 3);
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: 10_000, operation: "SendTaskSuccess" }] });
    const approve = startCli(["approve", ...arns.keys(), "--yes", "--stack-name", stack], {
      env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    await untilReceived("SendTaskSuccess", 3);
    const begun = performance.now();
    approve.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    approve.child.kill("SIGINT");
    const result = await approve.done;

    expect(result.code).toBe(130);
    expect(performance.now() - begun).toBeLessThan(5_000);
    expect(result.stderr).toMatch(
      new RegExp(
        `^Interrupted again: exiting now\\. May still reach AWS: the decision for twice-\\d, the decision for twice-\\d, the decision for twice-\\d\\. Check with \`approvals show <name> --stack-name ${stack}\` or \`approvals pending --stack-name ${stack}\`\\.$`,
        "m",
      ),
    );
  });
});

describe("many executions on one Ctrl-C signal", () => {
  it("approve --wait follows a dozen executions without a MaxListenersExceededWarning", async () => {
    const arns = await waiting("followed", 12);
    const result = await runCli(["approve", ...arns.keys(), "--yes", "--wait", "--stack-name", stack], { env: direct });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(12);
    expect(result.stderr).not.toMatch(/MaxListenersExceeded|Warning/);
  });
});

describe("pending --no-cache", () => {
  it("writes no file at all: neither the waiting-execution cache nor completion's names", async () => {
    await waiting("uncached", 1);
    const home = mkdtempSync(join(tmpdir(), "approvals-no-cache-"));
    const cacheHome = join(home, "cache");
    const result = await runCli(["pending", "--no-cache", "--stack-name", stack], {
      env: { ...direct, HOME: home, XDG_CACHE_HOME: cacheHome },
    });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("uncached-1");
    expect(readdirSync(home, { recursive: true })).toEqual([]);
    // Without --no-cache the same run leaves its files: the check above could see them.
    expect((await runCli(["pending", "--stack-name", stack], { env: { ...direct, HOME: home, XDG_CACHE_HOME: cacheHome } })).code).toBe(0);
    expect(readdirSync(home, { recursive: true }).length).toBeGreaterThan(0);
  });
});

describe("Ctrl-C in deploy's checks and before destroy's deletion", () => {
  it("deploy: a Ctrl-C during the checks leaves the stack deployed and says its outputs were not confirmed", async () => {
    const name = `${stack}-checks`;
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: HOLD_MS, operation: "ListSubscriptionsByTopic" }] });
    const deploy = startCli(["deploy", "--email", email, "--yes", "--stack-name", name], {
      env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    await untilReceived("ListSubscriptionsByTopic", 1);
    deploy.child.kill("SIGINT");
    const result = await deploy.done;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain(`error: Interrupted: stack ${name} is deployed; its outputs were not confirmed.\n`);
    expect(result.stderr).toContain(`hint: Confirm them with \`approvals outputs --stack-name ${name}\`.`);
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: name }));
    expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
  });

  it("destroy --yes: a Ctrl-C while the stack is read sends no DeleteStack", async () => {
    const name = `${stack}-kept`;
    expect((await runCli(["deploy", "--email", email, "--yes", "--stack-name", name], { env: direct })).code).toBe(0);
    proxy = await startProxy({ target: endpoint(), delays: [{ ms: HOLD_MS, operation: "DescribeStacks", nth: 1 }] });
    const destroy = startCli(["destroy", "--yes", "--stack-name", name], { env: { ...direct, AWS_ENDPOINT_URL: proxy.endpoint } });
    await untilReceived("DescribeStacks", 1);
    destroy.child.kill("SIGINT");
    const result = await destroy.done;

    expect(result.code).toBe(130);
    expect(result.stderr).toContain("error: Interrupted: nothing was sent; the stack was not deleted.\n");
    expect(proxy.received.map((r) => r.operation)).not.toContain("DeleteStack");
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: name }));
    expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
  });
});
