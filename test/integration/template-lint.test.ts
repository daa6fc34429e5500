import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { commandRuns, skipWithout } from "../support/tools.js";

const TEMPLATE = resolve(import.meta.dirname, "../../templates/human-approval.yaml");
const skip = skipWithout("cfn-lint", commandRuns("cfn-lint", ["--version"]), "pip install cfn-lint");

// cfn-lint knows which Lambda runtimes AWS no longer creates, and the resource schemas of today.
describe.skipIf(skip)("the bundled template passes cfn-lint", () => {
  it("reports no error and no warning", () => {
    const run = spawnSync("cfn-lint", [TEMPLATE], { encoding: "utf8" });
    // Exit status bits: 2 errors, 4 warnings, 8 informational findings.
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it("would refuse the seed's runtime", () => {
    const file = join(mkdtempSync(join(tmpdir(), "approvals-lint-")), "seed-runtime.yaml");
    writeFileSync(
      file,
      [
        "Resources:",
        "  Fn:",
        "    Type: AWS::Lambda::Function",
        "    Properties:",
        "      Handler: index.handler",
        "      Role: arn:aws:iam::123456789012:role/r",
        "      Runtime: nodejs18.x",
        "      Code:",
        '        ZipFile: "exports.handler = async () => 1"',
        "",
      ].join("\n"),
    );
    const seedRuntime = spawnSync("cfn-lint", [file], { encoding: "utf8" });
    expect((seedRuntime.status ?? 0) & 2).toBe(2);
    expect(seedRuntime.stdout).toMatch(/E2533 Runtime 'nodejs18\.x'/);
  });
});
