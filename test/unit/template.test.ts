import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  bundledTemplatePath,
  type LoadedTemplate,
  loadTemplate,
  MAX_TEMPLATE_BODY_BYTES,
  validateEmail,
} from "../../src/core/stack/template.js";
import { ExitCode, UsageError } from "../../src/errors.js";
import { TEMPLATE_PATH } from "./fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "approvals-template-"));
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(ExitCode.USAGE);
  return error as UsageError;
}

describe("loadTemplate on the bundled template", () => {
  it("finds the bundled template in the source tree", () => {
    expect(resolve(bundledTemplatePath())).toBe(TEMPLATE_PATH);
  });

  it("reads its body, parameters and the Email constraint", async () => {
    const template = await loadTemplate();
    expect(template.body).toBe(readFileSync(TEMPLATE_PATH, "utf8"));
    expect(template.parameters).toEqual(["Email"]);
    expect(template.emailConstraint).toBe("Must be a valid email address.");
    expect(Buffer.byteLength(template.body)).toBeLessThanOrEqual(MAX_TEMPLATE_BODY_BYTES);
  });

  it("anchors the AllowedPattern as CloudFormation applies it", async () => {
    const { emailPattern } = await loadTemplate();
    expect(emailPattern?.source.startsWith("^(?:")).toBe(true);
    expect(emailPattern?.source.endsWith(")$")).toBe(true);
    for (const ok of ["ops@example.com", "first.last+tag@sub.example-mail.org", "a_b@c.d"]) expect(emailPattern?.test(ok)).toBe(true);
    for (const bad of ["ops", "ops@example", "ops@ex ample.com", " ops@example.com", "ops@example.com ", "ops@example.com\nx", "<a>@b.c"]) {
      expect(emailPattern?.test(bad), bad).toBe(false);
    }
  });
});

describe("loadTemplate on other files", () => {
  it("anchors an AllowedPattern the template left unanchored", async () => {
    const path = write(
      "unanchored.yaml",
      [
        "Parameters:",
        "  Email:",
        "    Type: String",
        '    AllowedPattern: "[a-z]+@example\\\\.com"',
        "Resources:",
        "  Topic:",
        "    Type: AWS::SNS::Topic",
        "",
      ].join("\n"),
    );
    const template = await loadTemplate(path);
    expect(template.emailPattern?.test("ops@example.com")).toBe(true);
    expect(template.emailPattern?.test("x ops@example.com")).toBe(false);
    expect(template.emailPattern?.test("ops@example.com.evil")).toBe(false);
  });

  it("reads a JSON template, with CloudFormation's short-form tags in YAML too", async () => {
    const json = write("t.json", JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } }));
    expect((await loadTemplate(json)).parameters).toEqual([]);
    const yaml = write(
      "t.yaml",
      "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Ref AWS::StackName\n",
    );
    expect((await loadTemplate(yaml)).emailPattern).toBeUndefined();
  });

  it.each([
    [
      "package.json",
      () => resolve(import.meta.dirname, "../../package.json"),
      /is not a CloudFormation template: it has no Resources section/,
    ],
    ["a YAML list", () => write("list.yaml", "- a\n- b\n"), /no Resources section/],
    ["an empty file", () => write("empty.yaml", ""), /no Resources section/],
    ["empty Resources", () => write("noresources.yaml", "Resources: {}\n"), /no Resources section/],
    ["broken YAML", () => write("broken.yaml", "Resources:\n  a: [1, 2\n"), /is not valid YAML or JSON/],
    ["a missing file", () => join(dir, "missing.yaml"), /Cannot read template .*missing\.yaml: no such file/],
    ["a directory", () => dir, /it is a directory/],
    [
      "a template over the inline limit",
      () => write("big.yaml", `Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n# ${"x".repeat(MAX_TEMPLATE_BODY_BYTES)}\n`),
      /over CloudFormation's 51200-byte limit/,
    ],
  ])("refuses %s", async (_what, path, message) => {
    const error = await refusal(loadTemplate(path()));
    expect(error.message).toMatch(message);
    expect(error.message.split("\n")).toHaveLength(1);
  });
});

describe("validateEmail", () => {
  it("accepts an address the AllowedPattern accepts", async () => {
    const template = await loadTemplate();
    expect(() => validateEmail(template, "ops@example.com")).not.toThrow();
  });

  it("refuses one it rejects, quoting the constraint", async () => {
    const template = await loadTemplate();
    const error = await refusal(Promise.resolve().then(() => validateEmail(template, "not-an-email")));
    expect(error.message).toBe('--email "not-an-email" does not match the template\'s AllowedPattern (Must be a valid email address.).');
    expect(error.hint).toBe("Example: --email ops@example.com");
  });

  it("refuses an address for a template without an Email parameter", async () => {
    const template = await loadTemplate(write("noemail.json", JSON.stringify({ Resources: { Topic: { Type: "AWS::SNS::Topic" } } })));
    expect(() => validateEmail(template, "ops@example.com")).toThrow(/has no Email parameter/);
  });

  it("accepts anything when the template sets no pattern", () => {
    const template: LoadedTemplate = {
      path: "t.yaml",
      body: "",
      parameters: ["Email"],
      emailPattern: undefined,
      emailConstraint: undefined,
    };
    expect(() => validateEmail(template, "anything")).not.toThrow();
  });
});

describe("the approval function's role", () => {
  // Least privilege: the role allows what the function's code calls, and nothing more.
  const template = parse(readFileSync(TEMPLATE_PATH, "utf8"), { logLevel: "silent" });
  const role = template.Resources.LambdaApiGatewayIAMRole.Properties;
  const statements = role.Policies.flatMap((p: { PolicyDocument: { Statement: { Action: string[] }[] } }) => p.PolicyDocument.Statement);
  const actions: string[] = statements.flatMap((s: { Action: string[] }) => s.Action).sort();
  const code: string = template.Resources.LambdaApprovalFunction.Properties.Code.ZipFile["Fn::Sub"];

  it("allows the Step Functions calls the function makes, and no other", () => {
    const calls = [...code.matchAll(/\bstepfunctions\.(\w+)\(/g)].map(
      (m) => `states:${(m[1] ?? "").replace(/^./, (c) => c.toUpperCase())}`,
    );
    expect(calls.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith("states:"))).toEqual([...new Set(calls)].sort());
  });

  it("writes its logs without logs:*", () => {
    expect(actions.filter((a) => a.startsWith("logs:"))).toEqual(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]);
  });
});
