// A loopback stand-in for the stack's API Gateway REST API: each HTTP request becomes the proxy
// event (payload format 1.0) API Gateway would send, and the template's own approval function
// code answers it, running on Node against the emulator. `{endpoint}/{apiId}/{stage}/execution`
// serves the stack whose ApiGatewayInvokeURL is `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { emulatorEnv } from "./emulator.mjs";
import { functionArn, inlineCode, installFunction, stackVariables, substitute, TEMPLATE } from "./lambda-host.mjs";
import { stageThrottle } from "./stage-throttle.mjs";

// The SDK clients made here run in `npm run demo`, `npm run sandbox` and the tests: on Node < 22 they
// would print the SDK's NodeVersionSupportWarning, which bin/approvals.js keeps off the terminal for
// the same reason (a user of the demo cannot act on it). Set before any client is made; the variable
// set to "false" brings the warning back.
if (Number(process.versions.node.split(".")[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}

/** The methods the template's /execution resource has; API Gateway answers others with 403. */
const METHODS = new Set(["GET", "HEAD", "POST"]);

/**
 * The proxy event (payload format 1.0) API Gateway hands the approval function for a request to
 * `/{stage}/execution`. Query values arrive URL-decoded; the body as text.
 */
export function proxyEvent({ method, url, rawHeaders = [], body = "", apiId, stage, accountId = "123456789012", sourceIp = "127.0.0.1" }) {
  const query = new URL(url, "http://local").searchParams;
  // Maps, then own properties: a name such as __proto__ or constructor is a key like any other, as
  // in the JSON Lambda hands the function (a plain object's would find Object.prototype's).
  const pairs = (entries) => {
    const last = new Map();
    const all = new Map();
    for (const [key, value] of entries) {
      last.set(key, value);
      all.set(key, [...(all.get(key) ?? []), value]);
    }
    return [Object.fromEntries(last), Object.fromEntries(all)];
  };
  const headerPairs = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) headerPairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  const [headers, multiValueHeaders] = pairs(headerPairs);
  const [queryStringParameters, multiValueQueryStringParameters] = pairs(query);
  const hasQuery = Object.keys(queryStringParameters).length > 0;
  const userAgent = Object.entries(headers).find(([k]) => k.toLowerCase() === "user-agent")?.[1] ?? null;
  return {
    resource: "/execution",
    path: "/execution",
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? queryStringParameters : null,
    multiValueQueryStringParameters: hasQuery ? multiValueQueryStringParameters : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId,
      apiId,
      resourcePath: "/execution",
      httpMethod: method,
      path: `/${stage}/execution`,
      stage,
      protocol: "HTTP/1.1",
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      identity: { sourceIp, userAgent },
    },
    body: body === "" ? null : body,
    isBase64Encoded: false,
  };
}

/**
 * Serve the approval API of every stack on the emulator at `endpoint`, on loopback.
 * @param {{ endpoint: string, port?: number, template?: string, onLogs?: (logs: string) => void, throttle?: boolean }} options
 *   port: default a free one; template: where the function code comes from (default the bundled
 *   template); onLogs: what the function logged, per request (default: nothing); throttle: answer
 *   requests beyond the stage's throttle (its MethodSettings in the template) with API Gateway's 429,
 *   without calling the function (default false: tests that send requests one after another as fast
 *   as a machine runs them must not depend on its speed).
 */
export async function startApprovalApi({ endpoint, port = 0, template = TEMPLATE, onLogs, throttle = false }) {
  const awsEnv = emulatorEnv(endpoint);
  const cfn = new CloudFormationClient({
    endpoint,
    region: awsEnv.AWS_REGION,
    credentials: { accessKeyId: awsEnv.AWS_ACCESS_KEY_ID, secretAccessKey: awsEnv.AWS_SECRET_ACCESS_KEY },
  });
  const functions = new Map();
  const throttles = new Map();
  /** The stage's throttle, from the template the function code comes from too. */
  const throttleOf = (apiId, stage) => {
    const key = `${apiId}/${stage}`;
    if (!throttles.has(key)) throttles.set(key, stageThrottle(template, stage));
    return throttles.get(key);
  };

  /** The approval function of the stack serving `apiId`, installed once: concurrent first requests share it. */
  function approvalFunction(apiId) {
    if (!functions.has(apiId)) {
      const installing = install(apiId);
      functions.set(apiId, installing);
      // A stack deployed later may serve the id: one not served (yet) is looked up again next time.
      installing.then(
        (served) => served || functions.delete(apiId),
        () => functions.delete(apiId),
      );
    }
    return functions.get(apiId);
  }

  async function install(apiId) {
    const { Stacks = [] } = await cfn.send(new DescribeStacksCommand({}));
    const stack = Stacks.find((s) =>
      s.Outputs?.some((o) => o.OutputKey === "ApiGatewayInvokeURL" && o.OutputValue?.startsWith(`https://${apiId}.execute-api.`)),
    );
    if (!stack?.StackName) return undefined;
    const variables = await stackVariables(cfn, stack.StackName);
    const fn = installFunction(substitute(inlineCode("LambdaApprovalFunction", template), variables), awsEnv, { onLogs });
    return { fn, variables };
  }

  async function answer(req, res) {
    const [, apiId = "", stage = "", ...rest] = new URL(req.url ?? "/", "http://local").pathname.split("/");
    const json = (status, message) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(req.method === "HEAD" ? undefined : JSON.stringify({ message }));
    };
    if (rest.join("/") !== "execution" || !METHODS.has(req.method ?? "")) return json(403, "Missing Authentication Token");
    // As API Gateway: a stage's throttle answers before anything else is done.
    if (throttle && !throttleOf(apiId, stage).admit(req.method)) return json(429, "Too Many Requests");
    const served = await approvalFunction(apiId);
    if (!served) return json(404, `No stack on the emulator serves API ${apiId}`);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const event = proxyEvent({
      method: req.method,
      url: req.url,
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks).toString("utf8"),
      apiId,
      stage,
      accountId: served.variables["AWS::AccountId"],
      // API Gateway names the connection's peer (an IPv4 address in its dotted form).
      sourceIp: (req.socket.remoteAddress ?? "127.0.0.1").replace(/^::ffff:/, ""),
    });
    const context = {
      functionName: served.variables.LambdaApprovalFunction,
      invokedFunctionArn: functionArn(served.variables, "LambdaApprovalFunction"),
    };
    const invocation = await served.fn.invoke("handler", event, context);
    const result = invocation.result;
    // As API Gateway: a function that throws or answers malformed output is a 502.
    if (!invocation.ok || !result || typeof result.statusCode !== "number") return json(502, "Internal server error");
    res.writeHead(result.statusCode, { ...result.headers, ...result.multiValueHeaders });
    const body = result.isBase64Encoded ? Buffer.from(result.body ?? "", "base64") : (result.body ?? "");
    res.end(req.method === "HEAD" ? undefined : body);
  }

  const server = createServer((req, res) => {
    answer(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
      res.end('{"message":"Internal server error"}');
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const url = `http://127.0.0.1:${server.address().port}`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    for (const installed of await Promise.allSettled(functions.values())) installed.value?.fn.remove();
    cfn.destroy();
  };
  return { url, stop };
}
