// Whoever may call StartExecution, SendTaskSuccess or SendTaskFailure, or write a template, chooses text
// the CLI prints. The hostile corpus goes through AWS (the emulator) and through argv into every command
// that prints it; in a pipe, nothing but the program's own colour may reach the output raw.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SendTaskSuccessCommand } from "@aws-sdk/client-sfn";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { HOSTILE, hostileInput, rawControls } from "../support/hostile.js";
import { waitForToken } from "./sfn-helpers.js";

const stack = uniqueStackName("hostile");
const dir = mkdtempSync(join(tmpdir(), "approvals-hostile-"));
/** Every sample in one line: what an attacker puts in a Comment, an error, a cause or an output. */
const EVIL = HOSTILE.map((s) => s.text).join(" ");
/** The part of the corpus AWS accepts where it checks characters (an --error is at most 256 of them). */
const EVIL_SHORT = HOSTILE.slice(0, 8)
  .map((s) => s.text)
  .join(" ");
/** An execution name with a right-to-left override: Step Functions refuses controls in names, the emulator not even those. */
const RTL_NAME = "invoice\u202efdp.exe";

let env: Record<string, string | undefined>;
/** What `deploy` printed for a template with a hostile logical id and output. */
let deployed = { stdout: "", stderr: "" };

const run = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
  runCli([...args, "--stack-name", stack], { env: { ...env, ...extra }, input });

/** The bundled template with a resource whose logical id, and an output whose value, are hostile. */
function hostileTemplate(): string {
  const template = readFileSync(resolve(import.meta.dirname, "../../templates/human-approval.yaml"), "utf8")
    .replace("Resources:\n", 'Resources:\n  "Evil\\e[2JHandle\\u202e":\n    Type: AWS::CloudFormation::WaitConditionHandle\n')
    .replace("Outputs:\n", `Outputs:\n  Evil:\n    Value: ${yamlString(EVIL)}\n`);
  const file = join(dir, "hostile.yaml");
  writeFileSync(file, template);
  return file;
}

/** A YAML double-quoted string with every character outside printable ASCII escaped (YAML refuses DEL and C1 raw). */
function yamlString(text: string): string {
  return JSON.stringify(text).replace(/[^\u0020-\u007e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** No control of any kind, and no colour either when colour is off. */
function expectSafe(output: string, what: string, colour: boolean): void {
  expect(rawControls(output), what).toEqual([]);
  expect(output, what).not.toMatch(/[\u0007\u0008\u009b\u009d\u202e\u2067]/);
  if (!colour) expect(output, what).not.toContain("\u001b");
  // The sample's own SGR ends with a full reset, which the program's styles never write.
  else expect(output, what).not.toContain("\u001b[0m");
}

describe("hostile text from AWS and argv, in a pipe", () => {
  beforeAll(async () => {
    env = { ...cliEnv(), NO_COLOR: undefined };
    const deploy = await run(["deploy", "--template", hostileTemplate(), "--email", "ops@example.com", "--yes"], { NO_COLOR: "1" });
    expect(deploy.code, deploy.stderr).toBe(0);
    deployed = deploy;
    const start = async (name: string) => {
      const started = await run(["start", "--input", "-", "--name", name, "--json"], {}, hostileInput());
      expect(started.code, started.stderr).toBe(0);
      return JSON.parse(started.stdout).executionArn as string;
    };
    await start("h-waiting");
    await start(RTL_NAME);
    await start("h-failed");
    const decided = await start("h-decided");
    // The cause as given (--exact-payload): it reaches AWS, and comes back, raw.
    const failed = await run(["fail", "h-failed", "--error", EVIL_SHORT, "--cause", EVIL, "--exact-payload", "--yes"]);
    expect(failed.code, failed.stderr).toBe(0);
    // Someone else decides with an output of their own, a record of who decided included: the CLI
    // must show it, not obey it.
    const { sfn } = sdk();
    const record = { DecidedBy: EVIL, Via: EVIL, Reason: EVIL, DecisionId: EVIL };
    await sfn.send(
      new SendTaskSuccessCommand({ taskToken: await waitForToken(sfn, decided), output: JSON.stringify({ Status: EVIL, ...record }) }),
    );
  });

  it("deploy's change-set rows and outputs show the hostile id and value escaped", () => {
    const output = deployed.stdout + deployed.stderr;
    expectSafe(output, "deploy", false);
    expect(deployed.stderr).toMatch(/Add\s+Evil\\u001b\[2JHandle\\u202e\s+AWS::CloudFormation::WaitConditionHandle/);
    expect(deployed.stdout).toContain("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
  });

  const commands = [
    ["pending"],
    ["pending", "--links"],
    ["outputs"],
    ["show", "h-waiting"],
    ["show", "h-failed"],
    ["show", "h-decided"],
    ["show", RTL_NAME],
    ["list"],
    // Refusals quote what was decided, and how it failed.
    ["approve", "h-decided", "--yes"],
    ["reject", "h-failed", "--yes"],
    ["approve", "h-decided", "h-failed", "--yes"],
  ];
  const runs = commands.flatMap((args) => [false, true].map((colour) => ({ command: args.join(" "), args, colour })));
  it.each(runs)("$command (colour forced: $colour)", async ({ args, colour }) => {
    const result = await run(args, colour ? { FORCE_COLOR: "1" } : { NO_COLOR: "1" });
    expectSafe(result.stdout + result.stderr, args.join(" "), colour);
    if (colour && result.code === 0) expect(result.stdout).toContain("\u001b[");
  });

  it("shows what the text was, as visible escapes, where it belongs", async () => {
    const pending = await run(["pending"], { NO_COLOR: "1" });
    expect(pending.stdout).toContain("\\u001b]52;c;ZWNobyBwd25lZA==\\u0007");
    expect(pending.stdout).toContain("invoice\\u202efdp.exe");
    // Every row still lines up: the comment column starts at the same place on each line.
    const rows = pending.stdout.trimEnd().split("\n");
    const commentAt = rows[0]!.indexOf("COMMENT");
    for (const row of rows.slice(1)) expect(row.slice(commentAt), row).toMatch(/^\\u001b\]52/);

    const failed = await run(["show", "h-failed"], { NO_COLOR: "1" });
    expect(failed.stdout).toMatch(/error\s+\\u001b\]52;c;ZWNobyBwd25lZA==\\u0007 /);
    // The cause is a block: its line breaks stay (indented), the forged line is not at the margin.
    expect(failed.stdout).not.toMatch(/^error: forged/m);
    const refused = await run(["approve", "h-decided", "--yes"], { NO_COLOR: "1" });
    expect(refused.code).toBe(3);
    expect(refused.stderr.split("\n")[0]).toMatch(/^error: Execution h-decided is not waiting: it was already decided .*\\u001b\]52/);
  });

  it("argv echoed back in errors: names, --profile, --endpoint-url, file paths, unknown options", async () => {
    const cases = [
      ["show", `x${EVIL_SHORT}`],
      ["pending", "--profile", EVIL_SHORT],
      ["pending", "--endpoint-url", `http://${EVIL_SHORT}`],
      ["start", "--input", join(dir, `${EVIL_SHORT}.json`)],
      ["deploy", "--template", join(dir, `${EVIL_SHORT}.yaml`), "--yes"],
      ["pending", `--${EVIL_SHORT}`],
    ];
    for (const args of cases) {
      const result = await run(args, { NO_COLOR: "1" });
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stderr, args.join(" ")).toMatch(/^error: .*\\u001b/);
      expectSafe(result.stdout + result.stderr, args.join(" "), false);
    }
  });

  it("--json keeps the exact data and escapes what JSON.stringify leaves raw", async () => {
    for (const args of [
      ["pending", "--json"],
      ["list", "--json"],
      ["show", "h-failed", "--json"],
      ["show", "h-decided", "--json"],
      ["outputs", "--json"],
    ]) {
      const result = await run(args, { FORCE_COLOR: "1" });
      expect(result.code, result.stderr).toBe(0);
      expectSafe(result.stdout, args.join(" "), false);
      expect(() => JSON.parse(result.stdout)).not.toThrow();
    }
    const shown = JSON.parse((await run(["show", "h-failed", "--json"])).stdout);
    expect(shown.input).toEqual(JSON.parse(hostileInput()));
    expect(shown.cause).toBe(EVIL);
    const decided = JSON.parse((await run(["show", "h-decided", "--json"])).stdout);
    expect(decided).toMatchObject({ decidedBy: EVIL, via: EVIL, reason: EVIL, decisionId: EVIL });
    const listed = JSON.parse((await run(["pending", "--json"])).stdout) as Array<{ name: string }>;
    expect(listed.map((p) => p.name)).toContain(RTL_NAME);
  });

  it("shell completion never offers a name that carries a control", async () => {
    await run(["pending"], { NO_COLOR: "1" });
    const completed = await runCli(["__complete", "approve", "--stack-name", stack, ""], { env: { ...env, NO_COLOR: "1" } });
    expect(completed.stdout).toContain("h-waiting");
    expect(completed.stdout).not.toContain("invoice");
    expectSafe(completed.stdout, "completion", false);
  });
});
