// Run the template's inline Lambda code on Node, against an AWS endpoint (the emulator), as Lambda
// would: CommonJS `index.js`, one handler call per fresh process, the SDK provided from outside.
// Used by the tests and by the loopback approval API of `npm run sandbox` / `npm run demo`.
import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeStacksCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { parse } from "yaml";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** The bundled template, the one `approvals deploy` sends. */
export const TEMPLATE = join(ROOT, "templates", "human-approval.yaml");
const NODE_MODULES = join(ROOT, "node_modules");

function resources(templatePath) {
  // Short-form tags (!Ref, !GetAtt) are unknown to the parser: silenced, they read as plain values.
  return parse(readFileSync(templatePath, "utf8"), { logLevel: "silent" }).Resources;
}

/** The `ZipFile: Fn::Sub: |` source of an inline Lambda function, its variables unresolved. */
export function inlineCode(logicalId, templatePath = TEMPLATE) {
  const code = resources(templatePath)[logicalId]?.Properties?.Code?.ZipFile?.["Fn::Sub"];
  if (typeof code !== "string") throw new Error(`${logicalId} has no inline Fn::Sub code in ${templatePath}`);
  return code;
}

/**
 * Resolve a `Fn::Sub` string as CloudFormation does: `${Name}` from `variables`, `${!Literal}` to
 * `${Literal}`. A name with no value throws, as CloudFormation refuses the template.
 */
export function substitute(text, variables) {
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name) => {
    if (name.startsWith("!")) return `\${${name.slice(1)}}`;
    const value = variables[name];
    if (value === undefined) throw new Error(`Fn::Sub variable \${${name}} has no value`);
    return value;
  });
}

/**
 * The `Fn::Sub` variables of a deployed stack: its parameters, the pseudo parameters, and each
 * resource's `Ref` value (its physical id: the topic ARN for an SNS topic).
 */
export async function stackVariables(cfn, stackName) {
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  if (!stack?.StackId) throw new Error(`stack ${stackName} not found`);
  const [, partition = "aws", , region = "", account = ""] = stack.StackId.split(":");
  const variables = {
    "AWS::Partition": partition,
    "AWS::Region": region,
    "AWS::AccountId": account,
    "AWS::StackName": stackName,
    "AWS::StackId": stack.StackId,
  };
  for (const p of stack.Parameters ?? []) variables[p.ParameterKey ?? ""] = p.ParameterValue ?? "";
  const listed = await cfn.send(new ListStackResourcesCommand({ StackName: stackName }));
  for (const r of listed.StackResourceSummaries ?? []) {
    if (r.LogicalResourceId && r.PhysicalResourceId) variables[r.LogicalResourceId] = r.PhysicalResourceId;
  }
  return variables;
}

/** The ARN Lambda gives a function of a deployed stack (for `context.invokedFunctionArn`). */
export function functionArn(variables, logicalId) {
  return `arn:${variables["AWS::Partition"]}:lambda:${variables["AWS::Region"]}:${variables["AWS::AccountId"]}:function:${variables[logicalId]}`;
}

// Runs in the child: load the function as Lambda does (CommonJS index.js), call one export, report back.
const RUNNER = `const fn = require("./index.js");
process.once("message", async ({ handler, event, context }) => {
  let reply;
  try {
    const result = await fn[handler](event, context);
    reply = { ok: true, result: result === undefined ? null : result };
  } catch (error) {
    reply = { ok: false, error: { name: error && error.name, message: error && error.message } };
  }
  process.send(reply, () => process.disconnect());
});
`;

/**
 * Write `code` as `index.js` in a temporary directory outside the repository (CommonJS, as Lambda
 * loads it), with the repository's node_modules standing in for the SDK the Lambda runtime
 * provides. Handlers run against `awsEnv` (endpoint, region, dummy credentials) and nothing else
 * from this process's environment. Every invocation's logs also go to `options.onLogs`.
 */
export function installFunction(code, awsEnv, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), "approvals-lambda-"));
  writeFileSync(join(dir, "package.json"), '{"type":"commonjs"}\n');
  writeFileSync(join(dir, "index.js"), code);
  writeFileSync(join(dir, "runner.js"), RUNNER);
  symlinkSync(NODE_MODULES, join(dir, "node_modules"), "dir");
  const env = { PATH: process.env.PATH, HOME: dir, ...awsEnv, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const invoke = (handler, event, context) =>
    new Promise((done, fail) => {
      const child = fork(join(dir, "runner.js"), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
      let logs = "";
      let reply;
      child.stdout.on("data", (chunk) => {
        logs += chunk;
      });
      child.stderr.on("data", (chunk) => {
        logs += chunk;
      });
      child.on("message", (message) => {
        reply = message;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("error", fail);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        options.onLogs?.(logs);
        if (reply) done({ ...reply, logs });
        else fail(new Error(`${handler} ended without an answer (code ${code}, signal ${signal}):\n${logs}`));
      });
      child.send({ handler, event, context });
    });
  return { dir, invoke, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
