import { fork } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand } from "@aws-sdk/client-cloudformation";
import { parse } from "yaml";
import { emulatorEnv } from "../../scripts/emulator.mjs";

/** The bundled template, the one `approvals deploy` sends. */
export const TEMPLATE = resolve(import.meta.dirname, "../../templates/human-approval.yaml");
const NODE_MODULES = resolve(import.meta.dirname, "../../node_modules");

/** The parts of a template resource these helpers read. */
interface TemplateResource {
  Properties?: {
    Code?: { ZipFile?: { "Fn::Sub"?: unknown } };
    Integration?: { RequestTemplates?: Record<string, unknown> };
  };
}
type Resources = Record<string, TemplateResource>;

function resources(templatePath: string): Resources {
  // Short-form tags (!Ref, !GetAtt) are unknown to the parser: silenced, they read as plain values.
  return parse(readFileSync(templatePath, "utf8"), { logLevel: "silent" }).Resources;
}

/** The `ZipFile: Fn::Sub: |` source of an inline Lambda function, its variables unresolved. */
export function inlineCode(logicalId: string, templatePath = TEMPLATE): string {
  const code = resources(templatePath)[logicalId]?.Properties?.Code?.ZipFile?.["Fn::Sub"];
  if (typeof code !== "string") throw new Error(`${logicalId} has no inline Fn::Sub code in ${templatePath}`);
  return code;
}

/** ExecutionMethod's `application/json` request template (Velocity), as API Gateway applies it. */
export function requestTemplate(templatePath = TEMPLATE): string {
  const vtl = resources(templatePath).ExecutionMethod?.Properties?.Integration?.RequestTemplates?.["application/json"];
  if (typeof vtl !== "string") throw new Error(`ExecutionMethod has no application/json request template in ${templatePath}`);
  return vtl;
}

/**
 * Resolve a `Fn::Sub` string as CloudFormation does: `${Name}` from `variables`, `${!Literal}` to
 * `${Literal}`. A name with no value throws, as CloudFormation refuses the template.
 */
export function substitute(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{([^}]*)\}/g, (_whole, name: string) => {
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
export async function stackVariables(cfn: CloudFormationClient, stackName: string): Promise<Record<string, string>> {
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  if (!stack?.StackId) throw new Error(`stack ${stackName} not found`);
  const [, partition = "aws", , region = "", account = ""] = stack.StackId.split(":");
  const variables: Record<string, string> = {
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

/** What one handler call returned or threw, with everything the function logged. */
export interface Invocation {
  ok: boolean;
  result?: unknown;
  error?: { name: string; message: string };
  logs: string;
}

/** A Lambda function's code installed in a directory of its own, ready to run on Node. */
export interface InstalledFunction {
  dir: string;
  /** Call the exported `handler` with an event and a context, in a fresh Node process. */
  invoke(handler: string, event: unknown, context: unknown): Promise<Invocation>;
  remove(): void;
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
 * loads it; the repository's package.json says "module"), with the repository's node_modules
 * standing in for the SDK the Lambda runtime provides. Handlers run against the emulator at
 * `endpoint` with dummy credentials and nothing else from this process's environment.
 */
export function installFunction(code: string, endpoint: string): InstalledFunction {
  const dir = mkdtempSync(join(tmpdir(), "approvals-lambda-"));
  writeFileSync(join(dir, "package.json"), '{"type":"commonjs"}\n');
  writeFileSync(join(dir, "index.js"), code);
  writeFileSync(join(dir, "runner.js"), RUNNER);
  symlinkSync(NODE_MODULES, join(dir, "node_modules"), "dir");
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    ...emulatorEnv(endpoint),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const invoke = (handler: string, event: unknown, context: unknown) =>
    new Promise<Invocation>((done, fail) => {
      const child = fork(join(dir, "runner.js"), { cwd: dir, env, stdio: ["ignore", "pipe", "pipe", "ipc"] });
      let logs = "";
      let reply: Omit<Invocation, "logs"> | undefined;
      child.stdout?.on("data", (chunk) => {
        logs += chunk;
      });
      child.stderr?.on("data", (chunk) => {
        logs += chunk;
      });
      child.on("message", (message) => {
        reply = message as Omit<Invocation, "logs">;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("error", fail);
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        if (reply) done({ ...reply, logs });
        else fail(new Error(`${handler} ended without an answer (code ${code}, signal ${signal}):\n${logs}`));
      });
      child.send({ handler, event, context });
    });
  return { dir, invoke, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A request as API Gateway hands it to a mapping template: header, path and query-string parameters. */
export interface GatewayRequest {
  method: string;
  header: Record<string, string>;
  path: Record<string, string>;
  querystring: Record<string, string>;
}

/** A browser opening `url` (a link in the email): a GET whose query values API Gateway URL-decodes. */
export function browserGet(url: string): GatewayRequest {
  const { host } = new URL(url);
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  const querystring: Record<string, string> = {};
  for (const pair of query.split("&").filter(Boolean)) {
    const at = pair.indexOf("=");
    const [key, value] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
    querystring[decodeURIComponent(key)] = decodeURIComponent(value);
  }
  const header = { Accept: "text/html", Host: host, "User-Agent": "Mozilla/5.0" };
  return { method: "GET", header, path: {}, querystring };
}

/** `$util.escapeJavaScript`: Java's escapeEcmaScript (quotes, backslash, slash, control and non-ASCII characters). */
export function escapeJavaScript(value: string): string {
  const named: Record<string, string> = {
    "'": "\\'",
    '"': '\\"',
    "\\": "\\\\",
    "/": "\\/",
    "\b": "\\b",
    "\n": "\\n",
    "\t": "\\t",
    "\f": "\\f",
    "\r": "\\r",
  };
  return value.replace(/[\s\S]/g, (c) => {
    if (named[c]) return named[c];
    const code = c.charCodeAt(0);
    return code < 32 || code > 0x7e ? `\\u${code.toString(16).toUpperCase().padStart(4, "0")}` : c;
  });
}

/**
 * Apply the request template to a request without a body, as API Gateway does, and parse the result
 * (the event the Lambda integration receives). Knows the constructs this template uses: `#foreach`
 * over `$input.params().<kind>.keySet()`, `$util.escapeJavaScript`, `$input.json('$')` and
 * `$context.httpMethod`; anything else left in the output throws rather than pass unnoticed.
 */
export function renderRequestTemplate(vtl: string, request: GatewayRequest): unknown {
  const lines = vtl.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const loop = line.match(/^\s*#foreach\(\$(\w+) in \$input\.params\(\)\.(\w+)\.keySet\(\)\)\s*$/);
    if (!loop) {
      out.push(line.replaceAll("$input.json('$')", "{}").replaceAll("$context.httpMethod", request.method));
      continue;
    }
    const [, variable, kind] = loop as [string, string, keyof GatewayRequest];
    const body: string[] = [];
    for (i++; i < lines.length && !/^\s*#end\s*$/.test(lines[i] ?? ""); i++) body.push(lines[i] ?? "");
    const entries = Object.entries(request[kind] as Record<string, string>);
    entries.forEach(([key, value], n) => {
      for (const template of body) {
        out.push(
          template
            .replaceAll(`$util.escapeJavaScript($input.params().${kind}.get($${variable}))`, escapeJavaScript(value))
            .replaceAll(`"$${variable}"`, JSON.stringify(key))
            .replaceAll("#if($foreach.hasNext),#end", n < entries.length - 1 ? "," : ""),
        );
      }
    });
  }
  const rendered = out.join("\n");
  const unknown = rendered.match(/[$#][a-zA-Z!{]\S*/);
  if (unknown) throw new Error(`request template construct not rendered: ${unknown[0]}`);
  return JSON.parse(rendered);
}
