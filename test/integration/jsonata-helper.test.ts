// The launcher evaluates JSONata in a helper Node process (scripts/moto_jsonata.py): it must bound
// each evaluation, come back after it dies and end with the server. A private emulator, whose
// evaluations may take 1 s, lets these watch its process.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../scripts/emulator.mjs";
import { eventually } from "../support/eventually.js";
import { settled } from "./sfn-helpers.js";
import { sqsCallbacks } from "./sqs-callbacks.js";

let emulator: Emulator;
let aws: ReturnType<typeof sqsCallbacks>;

beforeAll(async () => {
  emulator = await startEmulator({ env: { APPROVALS_JSONATA_TIMEOUT_S: "1" } });
  aws = sqsCallbacks(emulator.endpoint);
});

afterAll(() => emulator?.stop());

/** The emulator's JSONata helpers: children of the launcher that run jsonata-helper.mjs. */
function helpers(of = emulator): number[] {
  const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(of.process.pid)], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .filter((line) => line.includes("jsonata-helper.mjs"))
    .map((line) => Number.parseInt(line, 10));
}

/** The one helper running. */
function theHelper(of = emulator): number {
  const running = helpers(of);
  if (running.length !== 1) throw new Error(`${running.length} helpers running`);
  return running[0] ?? 0;
}

/** Whether the process runs (a zombie, ended but not yet collected by its parent, does not). */
function alive(pid: number): boolean {
  const ps = spawnSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" });
  const state = ps.stdout.trim();
  return state !== "" && !state.startsWith("Z");
}

/** The CPU time the process has used, in whole seconds. */
function cpuSeconds(pid: number): number {
  const ps = spawnSync("ps", ["-o", "times=", "-p", String(pid)], { encoding: "utf8" });
  return Number.parseInt(ps.stdout, 10) || 0;
}

/** Poll (bounded: `tries` times, 100 ms apart) until `check` holds. */
async function until(what: string, check: () => boolean, tries = 50) {
  await eventually(check, { deadline: tries * 100, what });
}

const ENDLESS = "($loop := function($n) { $loop($n + 1) }; $loop(0))";

/** Start a one-state JSONata state machine whose Output is `expression`; return the execution's ARN. */
async function begin(expression: string, on = aws) {
  const { start } = await on.machine(() => ({
    QueryLanguage: "JSONata",
    StartAt: "Shape",
    States: { Shape: { Type: "Pass", Output: { value: `{% ${expression} %}` }, End: true } },
  }));
  return start({});
}

/** Run a one-state JSONata state machine whose Output is `expression`, to its end. */
const evaluate = async (expression: string) => settled(aws.sfn, await begin(expression));

describe("the JSONata helper process", () => {
  it("stops an evaluation that outlasts its time, failing the state, and starts afresh for the next", async () => {
    expect(helpers()).toEqual([]); // started at the first evaluation, not with the server
    expect(JSON.parse((await evaluate("1 + 1")).output ?? "")).toEqual({ value: 2 });
    const first = theHelper();
    const begun = Date.now();
    const endless = await evaluate(ENDLESS);
    expect(Date.now() - begun).toBeLessThan(10_000);
    expect(endless).toMatchObject({ status: "FAILED", error: "States.QueryEvaluationError" });
    expect(endless.cause).toContain("took longer than 1 s");
    await until("the busy helper is gone", () => !alive(first));
    expect(JSON.parse((await evaluate("2 + 2")).output ?? "")).toEqual({ value: 4 });
    expect(helpers()).toHaveLength(1);
    expect(helpers()).not.toContain(first);
  });

  it("starts again after the helper died", async () => {
    await evaluate("1");
    const before = theHelper();
    process.kill(before, "SIGKILL");
    await until("the helper is gone", () => !alive(before));
    expect(JSON.parse((await evaluate('"back"')).output ?? "")).toEqual({ value: "back" });
    expect(helpers()).toHaveLength(1);
    expect(helpers()).not.toContain(before);
  });

  it("ends when the server is killed in the middle of an evaluation", async () => {
    // Its evaluations may run a minute, so that only the kill can end this one.
    const doomed = await startEmulator({ env: { APPROVALS_JSONATA_TIMEOUT_S: "60" } });
    try {
      await begin(ENDLESS, sqsCallbacks(doomed.endpoint));
      let busy = 0;
      await until(
        "the helper is evaluating",
        () => {
          busy = helpers(doomed)[0] ?? 0;
          return busy > 0 && cpuSeconds(busy) >= 1;
        },
        300,
      );
      doomed.process.kill("SIGKILL");
      // Its stdin closes, but an evaluation never lets it see that: its watchdog thread ends it.
      await until("the busy helper has ended", () => !alive(busy));
    } finally {
      await doomed.stop();
    }
  }, 90_000); // a second emulator to start, and the helper to be seen busy on two shared cores

  it("ends with the server", async () => {
    await evaluate("1");
    const running = helpers();
    expect(running).toHaveLength(1);
    await emulator.stop();
    await until("the helper has ended", () => !running.some(alive));
  });
});
