import { DescribeStateMachineCommand, SendTaskSuccessCommand, UpdateStateMachineCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk } from "../support/cli.js";
import { useProxiedStacks } from "../support/proxied-stack.js";
import { settled } from "./sfn-helpers.js";

const { sfn } = sdk();
const email = "ops@example.com";

/** A deployed stack; commands run through the proxy with one cache folder kept across runs. */
const setUp = useProxiedStacks();

describe("warm pending", () => {
  let s: Awaited<ReturnType<typeof setUp>>;

  beforeAll(async () => {
    s = await setUp("warm");
    for (const name of ["w-one", "w-two"]) await s.start(name);
  });

  it("asks CloudFormation once, then makes two requests: the listing and the definition check", async () => {
    const cold = await s.pending();
    expect(cold.calls.DescribeStacks).toBe(1);
    const warm = await s.pending();
    expect(warm.names).toEqual(["w-one", "w-two"]);
    expect(warm.calls).toEqual({ DescribeStateMachine: 1, ListExecutions: 1 });
  });

  it("reads the stack again when the definition changed, then is warm again", async () => {
    const arn = s.arns
      .get("w-one")
      ?.replace(":execution:", ":stateMachine:")
      .replace(/:w-one$/, "") as string;
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    const changed = JSON.stringify({ ...JSON.parse(definition ?? "{}"), Comment: "changed" });
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: changed }));
    const after = await s.pending();
    expect(after.names).toEqual(["w-one", "w-two"]);
    expect(after.calls.DescribeStacks).toBe(1);
    expect((await s.pending()).calls).toEqual({ DescribeStateMachine: 1, ListExecutions: 1 });
  });

  it("decides right after pending with two requests per execution, and one GetCallerIdentity per command", async () => {
    const decided = await s.counted(["approve", "w-one", "w-two", "--yes"]);
    expect(decided.code, decided.stderr).toBe(0);
    expect(decided.calls).toEqual({ GetCallerIdentity: 1, DescribeStateMachineForExecution: 2, SendTaskSuccess: 2 });
    for (const name of ["w-one", "w-two"]) expect((await settled(sfn, s.arns.get(name) as string)).status).toBe("SUCCEEDED");
  });

  it("says who decided first when the remembered token was used by someone else", async () => {
    await s.start("w-three");
    expect((await s.pending()).names).toEqual(["w-three"]);
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: s.tokens.get("w-three"),
        output: JSON.stringify({ Status: `Rejected! Task rejected by ${email}` }),
      }),
    );
    await settled(sfn, s.arns.get("w-three") as string);
    const late = await s.counted(["approve", "w-three", "--yes"]);
    expect(late.code).not.toBe(0);
    expect(late.stderr).toContain("decided by someone else");
    expect(late.stderr).toContain("Rejected!");
  });

  it("forgets a stack that no longer exists, and the executions remembered for it", async () => {
    expect(s.cacheFiles().filter((f) => /^(stack|waiting)-/.test(f))).toHaveLength(2);
    const destroyed = await runCli(["destroy", "--yes", "--stack-name", s.stack], { env: cliEnv() });
    expect(destroyed.code, destroyed.stderr).toBe(0);
    const gone = await s.counted(["pending", "--json"]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("does not exist");
    expect(s.cacheFiles().filter((f) => /^(stack|waiting)-/.test(f))).toEqual([]);
  });
});
