// Every bad input the CLI refuses: one `error:` line (and maybe one `hint:` line) naming what is
// wrong and how to fix it, the documented exit code, no stack trace, nothing on stdout, and
// nothing sent to AWS. docs/bad-input.md lists the same cases between its bad-input markers; APPROVALS_WRITE_DOCS=1
// rewrites that section from what the CLI printed in this run.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CreateStackCommand, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { DescribeExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, type CliResult, cliEnv, endpoint, runCli, sdk, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { type Recorder, startRecorder } from "../support/recorder.js";

const stack = uniqueStackName("bad");
const shortStack = `${stack}-short`;
const otherStack = `${stack}-other`;
const dir = mkdtempSync(join(tmpdir(), "approvals-bad-input-"));
const file = (name: string, text: string | Buffer) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const notJson = file("not-json.json", '{\n  "Comment": "deploy v2",\n  "ticket": }\n');
const array = file("array.json", '["deploy v2"]');
const string = file("string.json", '"deploy v2"');
const empty = file("empty.json", "");
const latin1 = file("latin1.json", Buffer.from('{\n  "Comment": "Genehmigung für v2"\n}\n', "latin1"));
const utf16 = file("utf16.json", Buffer.from('\ufeff{"Comment": "deploy v2"}', "utf16le"));
const utf16NoBom = file("utf16-no-bom.json", Buffer.from('{"Comment": "deploy v2"}', "utf16le").swap16());
const big = file("big.json", JSON.stringify({ Comment: "x".repeat(256 * 1024) }));
const folder = join(dir, "a-folder.json");
mkdirSync(folder);
// Step Functions' parser gives up on input this deep; the emulator answers an error that names no type.
const nested = file("nested.json", `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`);
const noTemplate = file("not-a-template.json", '{"Comment": "deploy v2"}');
const badYaml = file("bad.yaml", "Resources: [unclosed\n  - {");
const topicOnly = "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n";
const noEmailTemplate = file("no-email.yaml", topicOnly);
const shortTemplate = file(
  "short.yaml",
  readFileSync(resolve(import.meta.dirname, "../../templates/human-approval.yaml"), "utf8").replace(
    '"TimeoutSeconds": 3600',
    '"TimeoutSeconds": 1',
  ),
);

/** One refused input. */
interface Case {
  /** What is wrong, as docs/bad-input.md says it. */
  what: string;
  /** The arguments; `--stack-name` is added unless given. */
  args: string[];
  stdin?: string;
  /** Environment variables to set; `RECORDER` stands for the recording proxy's endpoint. */
  env?: Record<string, string>;
  /** 2 or 3 for what the user typed; 1 when the endpoint, or what it answered, is at fault. */
  exit: 1 | 2 | 3;
  error: RegExp;
  hint?: RegExp;
  /**
   * `nothing`: no request at all; `reads`: only Describe/List/Get requests (to find out what is wrong);
   * `refused <Operation>`: those, and the one call that changes something, which the service refused.
   */
  sent: "nothing" | "reads" | `refused ${string}`;
}

// biome-ignore format: one case a line reads as the table it is
const cases: Case[] = [
  // deploy
  { what: "email the AllowedPattern rejects", args: ["deploy", "--email", "not an email", "--yes"], exit: 2, error: /--email "not an email" does not match the template's AllowedPattern/, hint: /--email ops@example.com/, sent: "nothing" },
  { what: "email without a dot in the domain", args: ["deploy", "--email", "ops@example", "--yes"], exit: 2, error: /AllowedPattern \(Must be a valid email address\.\)/, sent: "nothing" },
  { what: "missing --email on first deploy", args: ["deploy", "--yes", "--stack-name", `${stack}-new`], exit: 2, error: /does not exist yet: --email is required to create it/, hint: /approvals deploy --email/, sent: "reads" },
  { what: "--template file missing", args: ["deploy", "--template", join(dir, "missing.yaml"), "--yes"], exit: 2, error: /Cannot read template .*missing\.yaml: no such file/, hint: /leave out --template/, sent: "nothing" },
  { what: "--template is a directory", args: ["deploy", "--template", folder, "--yes"], exit: 2, error: /Cannot read template .*: it is a directory/, hint: /CloudFormation template file/, sent: "nothing" },
  { what: "--template not YAML or JSON", args: ["deploy", "--template", badYaml, "--yes"], exit: 2, error: /bad\.yaml is not valid YAML or JSON/, hint: /CloudFormation template file/, sent: "nothing" },
  { what: "--template not a template (no Resources)", args: ["deploy", "--template", noTemplate, "--yes"], exit: 2, error: /is not a CloudFormation template: it has no Resources section/, sent: "nothing" },
  { what: "--email with a template that has no Email parameter", args: ["deploy", "--template", noEmailTemplate, "--email", "ops@example.com", "--yes"], exit: 2, error: /--email was given, but template .* has no Email parameter/, hint: /Leave out --email/, sent: "nothing" },
  // start
  { what: "--input file missing", args: ["start", "--input", join(dir, "missing.json")], exit: 2, error: /Cannot read input .*missing\.json: no such file/, hint: /JSON file, or - to read stdin/, sent: "nothing" },
  { what: "--input unreadable (a directory)", args: ["start", "--input", folder], exit: 2, error: /Cannot read input .*a-folder\.json: it is a directory/, sent: "nothing" },
  { what: "--input not JSON", args: ["start", "--input", notJson], exit: 2, error: /not-json\.json is not valid JSON: .* at line 3, column 13/, sent: "nothing" },
  { what: "stdin not JSON", args: ["start", "--input", "-"], stdin: '{"Comment": "deploy v2",}', exit: 2, error: /Input stdin is not valid JSON: .* at line 1, column 25/, sent: "nothing" },
  { what: "--input a JSON array, not an object", args: ["start", "--input", array], exit: 2, error: /is an array; the workflow expects a JSON object/, hint: /"Comment"/, sent: "nothing" },
  { what: "--input a JSON string, not an object", args: ["start", "--input", string], exit: 2, error: /is a string; the workflow expects a JSON object/, sent: "nothing" },
  { what: "--input empty", args: ["start", "--input", empty], exit: 2, error: /is empty; expected a JSON object/, sent: "nothing" },
  { what: "--input not UTF-8 (Latin-1)", args: ["start", "--input", latin1], exit: 2, error: /^error: Input .*latin1\.json is not valid UTF-8: byte 0xFC at offset 29 \(line 2\) does not begin a valid character\.$/, hint: /Save it as UTF-8/, sent: "nothing" },
  { what: "--input UTF-16 (with a byte order mark)", args: ["start", "--input", utf16], exit: 2, error: /^error: Input .*utf16\.json is UTF-16LE text; only UTF-8 is accepted\.$/, hint: /iconv -f UTF-16LE -t UTF-8/, sent: "nothing" },
  { what: "--input UTF-16 (no byte order mark)", args: ["start", "--input", utf16NoBom], exit: 2, error: /is UTF-16BE text; only UTF-8 is accepted/, sent: "nothing" },
  { what: "--input over 256 KiB", args: ["start", "--input", big], exit: 2, error: /is 262158 bytes; Step Functions accepts at most 262144 \(256 KiB\)/, sent: "nothing" },
  { what: "--name with a space", args: ["start", "--input", array, "--name", "deploy v2"], exit: 2, error: /Execution name "deploy v2" contains " "/, hint: /may not contain spaces/, sent: "nothing" },
  { what: "--name over 80 characters", args: ["start", "--input", array, "--name", "n".repeat(81)], exit: 2, error: /must be 1 to 80 characters long \(it has 81\)/, sent: "nothing" },
  // approve, reject, fail, show
  { what: "execution name invalid", args: ["approve", "deploy:v2", "--yes"], exit: 2, error: /Execution name "deploy:v2" contains ":"/, sent: "nothing" },
  { what: "stack/execution with a second slash", args: ["approve", "ops/deploy/v2", "--yes"], exit: 2, error: /Execution name "deploy\/v2" contains "\/"/, sent: "nothing" },
  { what: "stack/execution with an invalid stack", args: ["approve", "9lives/v2", "--yes"], exit: 2, error: /"9lives" is not a valid CloudFormation stack name/, hint: /<stack>\/<execution>/, sent: "nothing" },
  { what: "execution name unknown", args: ["approve", "no-such-execution", "--yes"], exit: 3, error: /Execution no-such-execution does not exist/, hint: /approvals pending/, sent: "reads" },
  { what: "stack/execution with an invalid stack (show)", args: ["show", "9lives/v2"], exit: 2, error: /"9lives" is not a valid CloudFormation stack name/, hint: /<stack>\/<execution>/, sent: "nothing" },
  { what: "execution unknown (show)", args: ["show", "no-such-execution"], exit: 3, error: /Execution no-such-execution does not exist/, sent: "reads" },
  { what: "execution ARN of another state machine", args: ["approve", "ARN_OF_SHORT", "--yes"], exit: 2, error: /is not an execution of this stack's state machine/, sent: "reads" },
  { what: "execution already approved", args: ["approve", "bi-approved", "--yes"], exit: 3, error: /bi-approved is not waiting: it was already decided \("Approved! Task approved by ops@example.com"\) and ended SUCCEEDED/, sent: "reads" },
  { what: "execution already failed", args: ["reject", "bi-failed", "--yes"], exit: 3, error: /bi-failed is not waiting: it failed with Withdrawn/, sent: "reads" },
  { what: "execution timed out", args: ["approve", "bi-timed-out", "--yes", "--stack-name", shortStack], exit: 3, error: /bi-timed-out is not waiting: it timed out/, sent: "reads" },
  { what: "no execution named, no terminal to pick on", args: ["approve", "--yes"], exit: 2, error: /Name the execution to approve/, hint: /approvals pending/, sent: "nothing" },
  { what: "no --yes and no terminal to confirm on", args: ["approve", "bi-waiting"], exit: 2, error: /Refusing to approve .* without confirmation: no terminal to ask on/, hint: /Pass --yes/, sent: "reads" },
  { what: "fail with an empty --error", args: ["fail", "bi-waiting", "--error", "", "--cause", "x", "--yes"], exit: 2, error: /--error must not be empty/, sent: "nothing" },
  { what: "fail with --error over 256 characters", args: ["fail", "bi-waiting", "--error", "E".repeat(257), "--cause", "x", "--yes"], exit: 2, error: /--error is longer than 256 characters/, sent: "nothing" },
  // pending --watch, list
  { what: "--interval without --watch", args: ["pending", "--interval", "30"], exit: 2, error: /^error: --interval only applies with --watch\.$/, hint: /approvals pending --watch --interval 30/, sent: "nothing" },
  { what: "--watch with --json", args: ["pending", "--watch", "--json"], exit: 2, error: /^error: --watch cannot be combined with --json\.$/, sent: "nothing" },
  { what: "--interval below the floor", args: ["pending", "--watch", "--interval", "1"], exit: 2, error: /^error: --interval 1 is below the \d+ s floor\.$/, hint: /ListExecutions refills/, sent: "nothing" },
  { what: "--interval not a number", args: ["pending", "--watch", "--interval", "soon"], exit: 2, error: /^error: --interval "soon" is not a number of seconds up to 3600\.$/, sent: "nothing" },
  { what: "list --status not an outcome", args: ["list", "--status", "done"], exit: 2, error: /^error: --status "done" is not an outcome\.$/, hint: /Use one of: approved/, sent: "nothing" },
  { what: "list --since neither duration nor date", args: ["list", "--since", "yesterday"], exit: 2, error: /^error: --since "yesterday" is neither a duration nor a date\.$/, hint: /--since 30m/, sent: "nothing" },
  { what: "list --limit out of range", args: ["list", "--limit", "5000"], exit: 2, error: /^error: --limit "5000" is not a whole number from 1 to 1000\.$/, sent: "nothing" },
  // stacks
  { what: "unknown stack", args: ["pending", "--stack-name", "no-such-stack"], exit: 3, error: /Stack no-such-stack does not exist in this account and region/, hint: /approvals deploy --email/, sent: "reads" },
  { what: "stack without the expected outputs", args: ["pending", "--stack-name", otherStack], exit: 3, error: /has no ApiGatewayInvokeURL or StateMachineHumanApprovalArn output: it is not a human-approval stack/, hint: /--stack-name/, sent: "reads" },
  { what: "destroy an unknown stack", args: ["destroy", "--yes", "--stack-name", "no-such-stack"], exit: 3, error: /Stack no-such-stack does not exist: nothing to delete/, sent: "reads" },
  // options
  { what: "unknown option", args: ["pending", "--bogus"], exit: 2, error: /unknown option '--bogus'/, hint: /approvals pending --help/, sent: "nothing" },
  { what: "unknown command", args: ["aprove", "bi-waiting"], exit: 2, error: /unknown command 'aprove'/, hint: /approvals --help/, sent: "nothing" },
  { what: "required option missing", args: ["start"], exit: 2, error: /required option '--input <file>' not specified/, hint: /approvals start --help/, sent: "nothing" },
  { what: "required argument missing", args: ["show"], exit: 2, error: /missing required argument 'execution'/, sent: "nothing" },
  { what: "too many arguments", args: ["show", "bi-waiting", "bi-approved"], exit: 2, error: /too many arguments for 'show'/, sent: "nothing" },
  { what: "--stack-name not a stack name", args: ["pending", "--stack-name", "human_approval"], exit: 2, error: /--stack-name "human_approval" is not a valid CloudFormation stack name/, sent: "nothing" },
  { what: "--region not a region", args: ["pending", "--region", "us east 1"], exit: 2, error: /--region "us east 1" is not an AWS region name/, hint: /us-east-1/, sent: "nothing" },
  { what: "--cli-read-timeout negative", args: ["pending", "--cli-read-timeout", "-1"], exit: 2, error: /^error: --cli-read-timeout -1 is not a number of seconds \(0 or more\)\.$/, hint: /0 waits forever/, sent: "nothing" },
  { what: "--cli-connect-timeout not a number", args: ["approve", "bi-waiting", "--yes", "--cli-connect-timeout", "ten"], exit: 2, error: /^error: --cli-connect-timeout ten is not a number of seconds \(0 or more\)\.$/, hint: /--cli-connect-timeout 10/, sent: "nothing" },
  { what: "--endpoint-url not a URL", args: ["pending", "--endpoint-url", "localhost:5000"], exit: 2, error: /--endpoint-url localhost:5000 is not an http\(s\) URL/, sent: "nothing" },
  { what: "AWS_ENDPOINT_URL_SFN not a URL", args: ["pending"], env: { AWS_ENDPOINT_URL_SFN: "localhost:5000" }, exit: 2, error: /^error: AWS_ENDPOINT_URL_SFN localhost:5000 is not an http\(s\) URL\.$/, hint: /AWS_ENDPOINT_URL_SFN=http:\/\/localhost:5000/, sent: "nothing" },
  // endpoints, and replies that are not AWS's: one sentence naming the endpoint, exit 1
  { what: "https to a plain-HTTP endpoint", args: ["pending", "--endpoint-url", "HTTPS_RECORDER"], exit: 1, error: /^error: Describing stack \S+ failed: the endpoint https:\/\/\S+ does not speak TLS: if it is a plain-HTTP endpoint, write it with http:\/\/, not https:\/\/\.$/, sent: "nothing" },
  { what: "a proxy's HTML error page (HTTP 502)", args: ["pending", "--endpoint-url", "HTML_PROXY"], exit: 1, error: /^error: Describing stack \S+ failed: the endpoint \S+ answered HTTP 502 with a web page, not an AWS response: a proxy or gateway on the way may have failed\.$/, sent: "nothing" },
  { what: "an endpoint URL with a path", args: ["pending"], env: { AWS_ENDPOINT_URL: "RECORDER/api" }, exit: 1, error: /^error: Describing stack \S+ failed: the endpoint http:\/\/127\.0\.0\.1:\d+ answered HTTP 404: an endpoint URL has no path, so leave out \/api\.$/, sent: "reads" },
  { what: "an error reply that names no type (the emulator's answer to input nested 10,000 deep)", args: ["start", "--input", nested], exit: 1, error: /^error: Starting the execution failed: the endpoint \S+ answered HTTP 400 with an error that names no error type\.$/, sent: "refused StartExecution" },
  { what: "AWS_ENDPOINT_URL not a URL", args: ["pending"], env: { AWS_ENDPOINT_URL: "localhost:5000", AWS_ENDPOINT_URL_SFN: "RECORDER", AWS_ENDPOINT_URL_CLOUDFORMATION: "RECORDER" }, exit: 2, error: /^error: AWS_ENDPOINT_URL localhost:5000 is not an http\(s\) URL\.$/, sent: "nothing" },
];

const DOC = resolve(import.meta.dirname, "../../docs/bad-input.md");
const START = "<!-- bad-input:start -->";
const END = "<!-- bad-input:end -->";
/** What the CLI printed for each case, for docs/bad-input.md. */
const seen = new Map<Case, { args: string[]; stderr: string }>();

let recorder: Recorder;
/** A proxy in front of nothing: it answers every request with its own HTML error page. */
let htmlProxy: Server;
let htmlEndpoint = "";
let shortArn = "";
const direct = () => cliEnv();

/** Run against the emulator directly: set-up, not under test. */
async function setUp(args: string[], input?: string) {
  const result = await runCli(args, { env: direct(), input });
  if (result.code !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  const email = ["--email", "ops@example.com", "--yes"];
  await Promise.all([
    setUp(["deploy", ...email, "--stack-name", stack]),
    setUp(["deploy", ...email, "--stack-name", shortStack, "--template", shortTemplate]),
    sdk().cfn.send(new CreateStackCommand({ StackName: otherStack, TemplateBody: topicOnly })),
  ]);
  const start = (name: string, on = stack) => setUp(["start", "--input", "-", "--name", name, "--stack-name", on, "--json"], "{}");
  await Promise.all([start("bi-approved"), start("bi-failed"), start("bi-waiting")]);
  shortArn = JSON.parse(await start("bi-timed-out", shortStack)).executionArn;
  await setUp(["approve", "bi-approved", "--yes", "--stack-name", stack]);
  await setUp(["fail", "bi-failed", "--error", "Withdrawn", "--cause", "not needed", "--yes", "--stack-name", stack]);
  const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: otherStack }));
  expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
  // The short stack's execution times out after a second; wait for it at the service.
  await eventually(async () => JSON.parse(await setUp(["show", shortArn, "--stack-name", shortStack, "--json"])).status === "TIMED_OUT", {
    deadline: 30_000,
    what: `${shortArn} to time out`,
  });
  recorder = await startRecorder({ target: endpoint() });
  htmlProxy = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>\n");
    });
  });
  await new Promise<void>((done) => htmlProxy.listen(0, "127.0.0.1", done));
  htmlEndpoint = `http://127.0.0.1:${(htmlProxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await recorder?.stop();
  htmlProxy?.close();
  if (process.env.APPROVALS_WRITE_DOCS === "1" && seen.size === cases.length) {
    const readme = readFileSync(DOC, "utf8");
    writeFileSync(DOC, `${readme.slice(0, readme.indexOf(START) + START.length)}\n${renderDoc()}${readme.slice(readme.indexOf(END))}`);
  }
});

/** Replace this run's paths, names and ARNs by what a reader would type. */
function scrub(text: string): string {
  return text
    .replaceAll(shortArn, "arn:aws:states:…:execution:other-stack-…:bi-timed-out")
    .replaceAll(dir, ".")
    .replaceAll(recorder?.endpoint.replace("http://", "") ?? "\u0000", "localhost:5000")
    .replaceAll(htmlEndpoint.replace("http://", "") || "\u0000", "proxy.example")
    .replaceAll(otherStack, "topic-only")
    .replaceAll(shortStack, "short-timeout")
    .replaceAll(stack, "human-approval")
    .replace(/ at \d{4}-\d\d-\d\dT[\d:.]+Z/g, " at <time>")
    .replace(/(StateMachine-)[A-Z0-9]{8,}/g, "$1…");
}

function renderDoc(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", "<br>");
  const rows = cases.map((c) => {
    const run = seen.get(c);
    // The test's own --stack-name is left out: the default stack stands for it.
    const args = (run?.args ?? c.args)
      .map(scrub)
      .join("\u0000")
      .replace(/\u0000--stack-name\u0000human-approval$/, "")
      .split("\u0000");
    const shown = args.map((a) => (/[\s"]/.test(a) || a === "" ? JSON.stringify(a) : a.length > 40 ? `${a.slice(0, 12)}…` : a));
    const variables = Object.entries(c.env ?? {})
      .filter(([, value]) => value !== "RECORDER")
      .map(([name, value]) => `${name}=${scrub(placeholder(value))} `);
    const command = `\`${variables.join("")}approvals ${shown.join(" ")}\``;
    const said = scrub(run?.stderr.trimEnd() ?? "")
      .replace(/^error: /, "")
      .replace(/\nhint: /, "\n*hint:* ");
    return `| ${c.what} | ${cell(command)} | ${c.exit} | ${cell(said)} | ${c.sent === "nothing" ? "nothing" : c.sent === "reads" ? "reads only" : `reads, and ${c.sent.slice(8)} (refused)`} |`;
  });
  return [
    "Each case below is a row of `test/integration/bad-input.test.ts`, which runs the built CLI against the local",
    "emulator through a recording proxy. Every one ends with one `error:` line (and at most one `hint:` line) on",
    "stderr, nothing on stdout, no stack trace, and the exit code shown: 2 for usage or invalid input, 3 for",
    "something that does not exist or is not waiting, 1 when the endpoint, or what it answered, is at fault",
    "(the endpoint is named; `localhost:5000` stands for the emulator, `proxy.example` for a failing proxy).",
    "*Sent to AWS* is what the proxy saw: nothing at all, or only the Describe/List/Get calls needed to find",
    "out what is wrong; never a call that changes anything, except one the service refused.",
    "",
    "| Case | Command | Exit | What the CLI says | Sent to AWS |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

/** The endpoints and ARNs a case names by placeholder, known once the set-up has run. */
function placeholder(value: string): string {
  if (value === "ARN_OF_SHORT") return shortArn;
  if (value === "HTTPS_RECORDER") return recorder.endpoint.replace("http:", "https:");
  if (value === "HTML_PROXY") return htmlEndpoint;
  return value.replace(/^RECORDER/, recorder.endpoint);
}

describe("bad input is refused cleanly", () => {
  it.each(cases)("$what → exit $exit", async (c) => {
    const args = c.args.map(placeholder);
    if (!args.includes("--stack-name")) args.push("--stack-name", stack);
    const from = recorder.calls.length;
    const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, placeholder(v)]));
    const result = await runCli(args, { env: cliEnv({ AWS_ENDPOINT_URL: recorder.endpoint, ...env }), input: c.stdin });
    seen.set(c, { args, stderr: result.stderr });

    expect(result.code, result.stderr).toBe(c.exit);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(c.error);
    if (c.hint) expect(lines[1]).toMatch(c.hint);
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1] !== undefined) expect(lines[1]).toMatch(/^hint: /);
    expect(result.stderr).not.toMatch(/^\s+at /m);

    const calls = recorder.calls.slice(from).map((call) => call.operation);
    if (c.sent === "nothing") expect(calls).toEqual([]);
    else expect(calls.filter((op) => !/^(Describe|List|Get)/.test(op))).toEqual(c.sent === "reads" ? [] : [c.sent.slice(8)]);
  });

  it("lists every case in docs/bad-input.md", () => {
    if (process.env.APPROVALS_WRITE_DOCS === "1") return;
    const readme = readFileSync(DOC, "utf8");
    const doc = readme.slice(readme.indexOf(START), readme.indexOf(END));
    const rows = doc.split("\n").map((line) => line.split("|")[1]?.trim());
    for (const c of cases) expect(rows).toContain(c.what);
  });
});

/**
 * Run the built CLI from bash, whose `$'..'` words can hold any byte: `words` is the rest of a bash
 * command line after `approvals`. The recording proxy stands in front of the emulator.
 */
function fromBash(words: string, input = ""): Promise<CliResult> {
  return new Promise((done) => {
    const child = execFile(
      "/bin/bash",
      ["-c", `exec "$APPROVALS_NODE" "$APPROVALS_BIN" ${words}`],
      { env: cliEnv({ AWS_ENDPOINT_URL: recorder.endpoint, APPROVALS_NODE: process.execPath, APPROVALS_BIN: BIN }), timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

// Not rows of the table above: runCli's arguments are strings, which cannot hold a byte that is not UTF-8.
describe("arguments that are not UTF-8 are refused, not replaced", () => {
  const stateMachine = async () => {
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: stack }));
    return Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === "StateMachineHumanApprovalArn")?.OutputValue ?? "";
  };
  const execution = async (name: string) =>
    sdk()
      .sfn.send(
        new DescribeExecutionCommand({ executionArn: `${(await stateMachine()).replace(":stateMachine:", ":execution:")}:${name}` }),
      )
      .catch((error: Error) => error.name);

  it.each([
    [
      "--name",
      `start --input - --name $'a\\xffb'`,
      /^error: --name "a\ufffdb" is not valid UTF-8: byte 0xFF at offset 1 does not begin a valid character\.$/,
    ],
    [
      "--name=",
      `start --input - --name=$'a\\xffb'`,
      /^error: --name "a\ufffdb" is not valid UTF-8: byte 0xFF at offset 1 does not begin a valid character\.$/,
    ],
  ])("start %s: exit 2, nothing sent, nothing started", async (_, words, error) => {
    const from = recorder.calls.length;
    const result = await fromBash(`${words} --stack-name ${stack}`, "{}");
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toBe("");
    const [first, hint, ...rest] = result.stderr.trimEnd().split("\n");
    expect(first).toMatch(error);
    expect(hint).toMatch(/^hint: Arguments are read as UTF-8/);
    expect(rest).toEqual([]);
    expect(recorder.calls.slice(from)).toEqual([]);
    expect(await execution("a\ufffdb")).toBe("ExecutionDoesNotExist");
  });

  it("fail --error: exit 2, nothing sent, the execution still waits", async () => {
    const from = recorder.calls.length;
    const result = await fromBash(`fail bi-waiting --error $'E\\xfe' --yes --stack-name ${stack}`);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe(
      'error: --error "E\ufffd" is not valid UTF-8: byte 0xFE at offset 1 does not begin a valid character.',
    );
    expect(recorder.calls.slice(from)).toEqual([]);
    expect(await execution("bi-waiting")).toMatchObject({ status: "RUNNING" });
  });

  it("an execution name argument, and valid UTF-8 (U+FFFD itself included) still goes through", async () => {
    const refused = await fromBash(`approve $'bi-\\xc3' --yes --stack-name ${stack}`);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.split("\n")[0]).toBe(
      'error: Argument "bi-\ufffd" is not valid UTF-8: byte 0xC3 at offset 3 does not begin a valid character.',
    );
    // Typed as UTF-8, U+FFFD is a character like any other, which execution names may hold: asked for.
    const typed = await fromBash(`show $'bi-\\xef\\xbf\\xbd' --stack-name ${stack}`);
    expect(typed.code, typed.stderr).toBe(3);
    expect(typed.stderr.split("\n")[0]).toBe("error: Execution bi-\ufffd does not exist.");
  });
});
