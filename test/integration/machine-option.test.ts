// `--state-machine` through the built CLI: an ARN the run cannot mean is refused before anything is
// sent (a recording proxy proves it, with a positive control), and completion after the option offers
// from the store only names the option takes, through the bash script as a user gets it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cliEnv, endpoint, runCli } from "../support/cli.js";
import { type Recorder, startRecorder } from "../support/recorder.js";
import { fixtureDefinition } from "../support/workflow-fixtures.js";
import { sqsCallbacks } from "./sqs-callbacks.js";

let recorder: Recorder;
let env: Record<string, string | undefined>;
let machineArn = "";
let machineName = "";

beforeAll(async () => {
  recorder = await startRecorder({ target: endpoint() });
  env = cliEnv({ AWS_ENDPOINT_URL: recorder.endpoint });
  const { machine } = sqsCallbacks(endpoint());
  const made = await machine((QueueUrl) => JSON.parse(fixtureDefinition("no-choice", { QueueUrl, FunctionArn: "" })));
  machineArn = made.machineArn;
  machineName = machineArn.split(":")[6] ?? "";
}, 60_000);

afterAll(async () => {
  await recorder?.stop();
});

/** Run the CLI through the proxy; what it printed, and the operations the proxy saw. */
async function sent(args: string[]) {
  const from = recorder.calls.length;
  const result = await runCli(args, { env });
  return { ...result, calls: recorder.calls.slice(from).map((c) => c.operation) };
}

describe("--state-machine given an ARN", () => {
  it("of another region than the run's: one line, exit 2, nothing sent; of the run's region, it is read", async () => {
    const elsewhere = machineArn.replace(":us-east-1:", ":eu-west-1:");
    for (const args of [["pending"], ["show", "run-1"], ["list"], ["decide", "run-1", "--to", "Approved", "--yes"]]) {
      const refused = await sent([...args, "--state-machine", elsewhere]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr.split("\n")[0]).toBe(`error: State machine ${elsewhere} is in eu-west-1, but this run's region is us-east-1.`);
      expect(refused.stderr.split("\n")[1]).toBe("hint: Give --region eu-west-1, or the name of a state machine in us-east-1.");
      expect(refused.calls).toEqual([]);
    }
    const read = await sent(["pending", "--state-machine", machineArn]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.calls).toContain("DescribeStateMachine");
  });

  it("whose name Step Functions would not give: one line, exit 2, nothing sent", async () => {
    for (const name of ["a b", "$(id)", "x".repeat(81)]) {
      const refused = await sent(["pending", "--state-machine", machineArn.replace(machineName, name)]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr.split("\n")[0]).toMatch(
        /^error: --state-machine ".*" is neither a state machine name nor a state machine ARN\.$/,
      );
      expect(refused.calls).toEqual([]);
    }
  });
});

describe("--state-machine completion", () => {
  /** What bash's completion offers for `approvals <words>`, the last word being under the cursor. */
  function bashComplete(script: string, words: string[]): string[] {
    const bin = mkdtempSync(join(tmpdir(), "approvals-bin-"));
    symlinkSync(BIN, join(bin, "approvals"));
    const quoted = ["approvals", ...words].map((w) => `'${w}'`).join(" ");
    const program = `${script}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length}; _approvals_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const path = [bin, dirname(process.execPath), process.env.PATH].join(delimiter);
    const result = spawnSync("bash", ["--norc", "--noprofile", "-c", program], { env: { ...env, PATH: path }, encoding: "utf8" });
    expect(result.stderr).toBe("");
    return result.stdout.split("\n").filter(Boolean);
  }

  it("offers, from a store another writer filled, only the names --state-machine takes", async () => {
    // A run on the state machine remembers its name; then the file is rewritten as an older version or a bug might.
    expect((await runCli(["pending", "--state-machine", machineName], { env })).code).toBe(0);
    const dir = join(env.HOME as string, ".cache", "approvals");
    const file = join(dir, readdirSync(dir).find((f) => f.startsWith("names-")) ?? "");
    const stored = JSON.parse(readFileSync(file, "utf8"));
    const refused = ["a b", "$(touch pwned)", "a;b", "x".repeat(81), ""];
    stored.entries.machines.names = [...refused, machineName, "-x"];
    writeFileSync(file, JSON.stringify(stored));
    const script = (await runCli(["completion", "bash"], { env })).stdout;
    expect(bashComplete(script, ["pending", "--state-machine", ""])).toEqual([machineName, "-x"]);
  });
});
