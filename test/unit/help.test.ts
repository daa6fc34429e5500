import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli.js";
import { commands } from "../../src/commands/index.js";

/** Run the CLI in-process with captured streams (no terminal). */
async function run(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const code = await main(["node", "approvals", ...args], { stdout, stderr, stdin: new PassThrough() }, {});
  return { code, stdout: out, stderr: err };
}

describe("help", () => {
  it("`approvals help nope` says the command is unknown and exits 2", async () => {
    const result = await run("help", "nope");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: unknown command 'nope'\nhint: see `approvals --help`\n$/);
    expect(result.stdout).toBe("");
  });

  it("`approvals help aprove` suggests the command meant", async () => {
    expect((await run("help", "aprove")).stderr).toContain("unknown command 'aprove' (Did you mean approve?)");
  });

  it("`approvals help pending` still shows pending's help", async () => {
    const result = await run("help", "pending");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: approvals pending [options]");
  });

  it("top-level help names the commands that take --stack-name by naming those that do not", async () => {
    const { stdout } = await run("--help");
    const local = commands.filter((c) => c.aws === false).map((c) => c.name);
    expect(local).toEqual(["template", "completion"]);
    expect(stdout.replace(/\n/g, " ")).toContain("Commands that call AWS (all but template and completion) take --stack-name");
    // Those two really take no --stack-name; the others do.
    for (const spec of commands) {
      const own = await run(spec.name, "--help");
      expect(own.stdout.includes("--stack-name"), spec.name).toBe(spec.aws !== false);
    }
  });

  it("every --help lists the declined confirmation among the exit codes", async () => {
    for (const args of [["--help"], ["deploy", "--help"], ["approve", "--help"]]) {
      expect((await run(...args)).stdout).toContain("1    failed at AWS, a confirmation declined, or unexpected error");
    }
  });
});
