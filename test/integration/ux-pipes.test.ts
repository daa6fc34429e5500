// Output that fits pipes, through the built binary: no colour and no spinner when stdout is not a
// terminal, none with NO_COLOR or --no-color, colour when FORCE_COLOR asks; --json stays one
// document; without a terminal nothing waits for an answer that cannot come, and nothing is sent.
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { startRecorder } from "../support/recorder.js";

const stack = uniqueStackName("pipes");
const ESC = "\u001b[";
let base: Record<string, string | undefined>;
const run = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
  runCli([...args, "--stack-name", stack], { env: { ...base, ...extra }, input });

describe("output in pipes", () => {
  beforeAll(async () => {
    // Neither NO_COLOR nor FORCE_COLOR: each test sets what it is about.
    base = { ...cliEnv(), NO_COLOR: undefined, FORCE_COLOR: undefined };
    const deployed = await run(["deploy", "--email", "ops@example.com", "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = await run(["start", "--input", "-", "--name", "piped"], {}, '{"Comment":"in a pipe"}');
    expect(started.code, started.stderr).toBe(0);
  });

  it("no colour and no spinner when stdout is not a terminal", async () => {
    for (const args of [["outputs"], ["pending"], ["show", "piped"], ["show", "nope"], ["deploy", "--yes"]]) {
      const result = await run(args);
      expect(result.stdout, args.join(" ")).not.toContain(ESC);
      expect(result.stderr, args.join(" ")).not.toContain(ESC);
      expect(result.stderr, args.join(" ")).not.toContain("\r");
    }
  });

  it("FORCE_COLOR colours a pipe, but never animates it", async () => {
    const outputs = await run(["outputs"], { FORCE_COLOR: "1" });
    expect(outputs.stdout).toContain(`${ESC}32m✔`);
    const missing = await run(["show", "nope"], { FORCE_COLOR: "1" });
    expect(missing.stderr).toContain(`${ESC}31merror:`);
    const deploy = await run(["deploy", "--yes"], { FORCE_COLOR: "1" });
    expect(deploy.code).toBe(0);
    // ora hides the cursor and redraws with carriage returns: neither belongs in a pipe.
    expect(deploy.stderr).not.toContain("\u001b[?25l");
    expect(deploy.stderr).not.toContain("\r");
  });

  it("NO_COLOR, --no-color and FORCE_COLOR=0 win over FORCE_COLOR", async () => {
    for (const [extra, args] of [
      [{ FORCE_COLOR: "1", NO_COLOR: "1" }, ["outputs"]],
      [{ FORCE_COLOR: "1" }, ["outputs", "--no-color"]],
      [{ FORCE_COLOR: "0" }, ["outputs"]],
      [{ FORCE_COLOR: "false" }, ["outputs"]],
    ] as const) {
      const result = await run([...args], extra);
      expect(result.code).toBe(0);
      expect(result.stdout, JSON.stringify(extra)).not.toContain(ESC);
      expect(result.stdout).toContain("✔ state machine");
    }
  });

  it("--json is exactly one JSON document, even with FORCE_COLOR", async () => {
    for (const args of [
      ["outputs", "--json"],
      ["pending", "--json"],
      ["show", "piped", "--json"],
      ["deploy", "--yes", "--json"],
    ]) {
      const result = await run(args, { FORCE_COLOR: "1" });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).not.toContain(ESC);
      expect(() => JSON.parse(result.stdout), args.join(" ")).not.toThrow();
    }
  });

  it("without a terminal, deploy without --yes refuses with a hint and creates nothing", async () => {
    const fresh = uniqueStackName("pipes-refused");
    const recorder = await startRecorder({ target: endpoint() });
    const refused = await runCli(["deploy", "--email", "ops@example.com", "--stack-name", fresh], {
      env: { ...base, AWS_ENDPOINT_URL: recorder.endpoint },
    }).finally(() => recorder.stop());
    expect(refused.code).toBe(2);
    // Refused before the first request: not even a change set was created and cleaned up.
    expect(recorder.calls).toEqual([]);
    expect(refused.stderr).toMatch(
      new RegExp(`^error: Refusing to deploy stack ${fresh} without confirmation: no terminal to ask on\\.$`, "m"),
    );
    expect(refused.stderr).toMatch(/^hint: Pass --yes/m);
    const status = await sdk()
      .cfn.send(new DescribeStacksCommand({ StackName: fresh }))
      .then((r) => r.Stacks?.[0]?.StackStatus ?? "NONE")
      .catch((error: Error) => (/does not exist/.test(error.message) ? "NONE" : Promise.reject(error)));
    expect(status).toMatch(/^(NONE|DELETE_COMPLETE)$/);
  });

  it("without a terminal, approve with no execution named is a usage error and sends nothing", async () => {
    const result = await run(["approve"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Name the execution to approve\.$/m);
    const pending = await run(["pending", "--json"]);
    expect(JSON.parse(pending.stdout).map((p: { name: string }) => p.name)).toEqual(["piped"]);
  });

  it("a closed pipe ends the output quietly", async () => {
    const { spawnSync } = await import("node:child_process");
    const { BIN } = await import("../support/cli.js");
    const shell = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" --help | head -1`], { env: base, encoding: "utf8" });
    expect(shell.stdout).toBe("Usage: approvals [options] [command]\n");
    expect(shell.stderr).toBe("");
  });
});
