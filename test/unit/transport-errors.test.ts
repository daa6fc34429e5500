// Each error here is thrown by the real SDK against a small local server that misbehaves the way a
// network, a proxy or an emulator does; nothing is a hand-made imitation of an SDK error.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, createServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudFormationClient, DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { ListStateMachinesCommand, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, describe, expect, it } from "vitest";
import { explainTransportError } from "../../src/aws/transport-errors.js";
import { rawControls } from "../support/hostile.js";

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A loopback server; its endpoint. */
async function serve(handler: RequestListener, server: Server = createServer()): Promise<string> {
  server.on("request", handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Answer every request with this status, content type and body. */
const answer =
  (status: number, type: string, body: string): RequestListener =>
  (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    });
  };

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/** What a call of each service throws against the endpoint (one attempt). */
async function thrown(endpoint: string, service: "sfn" | "cfn" = "sfn", requestHandler: object = {}): Promise<unknown> {
  const config = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    maxAttempts: 1,
    logger: quiet,
    requestHandler,
  };
  try {
    if (service === "sfn") await new SFNClient(config).send(new ListStateMachinesCommand({}));
    else await new CloudFormationClient(config).send(new DescribeStacksCommand({}));
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded");
}

async function explained(endpoint: string, service: "sfn" | "cfn" = "sfn", requestHandler: object = {}) {
  const problem = explainTransportError(await thrown(endpoint, service, requestHandler), endpoint);
  expect(problem).toBeDefined();
  expect(problem?.sentence).toMatch(/^[A-Z].*\.$/);
  expect(problem?.sentence).not.toContain("\n");
  expect(rawControls(problem?.sentence ?? "")).toEqual([]);
  return problem;
}

const NGINX_502 =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";
// What the emulator (Werkzeug) answers for a path it does not serve.
const WERKZEUG_404 =
  "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n";

describe("explainTransportError, from errors the SDK really throws", () => {
  it("https to a plain-HTTP endpoint (EPROTO, wrong version number)", async () => {
    const plain = await serve(answer(200, "application/json", "{}"));
    const endpoint = plain.replace("http:", "https:");
    const problem = await explained(endpoint);
    expect(problem).toEqual({
      kind: "tls-to-plain-http",
      sentence: `The endpoint ${endpoint} does not speak TLS: if it is a plain-HTTP endpoint, write it with http://, not https://.`,
      mayHaveArrived: false,
    });
  });

  it.skipIf(!hasOpenssl())("a certificate nobody vouches for", async () => {
    const dir = mkdtempSync(join(tmpdir(), "approvals-tls-"));
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) });
    const endpoint = (await serve(answer(200, "application/json", "{}"), server)).replace("http:", "https:");
    const problem = await explained(endpoint);
    expect(problem?.kind).toBe("tls-certificate");
    expect(problem?.sentence).toBe(
      `The TLS certificate of the endpoint ${endpoint} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): check the URL, or NODE_EXTRA_CA_CERTS for a private CA.`,
    );
  });

  it("an HTML 5xx page from a proxy, for the JSON and the query protocols", async () => {
    const endpoint = await serve(answer(502, "text/html", NGINX_502));
    const expected = {
      kind: "web-page",
      sentence: `The endpoint ${endpoint} answered HTTP 502 with a web page, not an AWS response: a proxy or gateway on the way may have failed.`,
      mayHaveArrived: true,
    };
    expect(await explained(endpoint, "sfn")).toEqual(expected);
    expect(await explained(endpoint, "cfn")).toEqual(expected);
  });

  it("an endpoint with a path", async () => {
    const root = await serve((req, res) => answer(req.url === "/" ? 200 : 404, "text/html; charset=utf-8", WERKZEUG_404)(req, res));
    const endpoint = `${root}/states/v1`;
    for (const service of ["sfn", "cfn"] as const) {
      expect(await explained(endpoint, service)).toEqual({
        kind: "endpoint-path",
        sentence: `The endpoint ${root} answered HTTP 404: an endpoint URL has no path, so leave out /states/v1.`,
        mayHaveArrived: true,
      });
    }
  });

  it('an error body with no type ({"__type": null}, as the emulator answers a 10,000-level nested input)', async () => {
    const endpoint = await serve(answer(400, "application/x-amz-json-1.0", '{"__type": null}'));
    const error = await thrown(endpoint);
    expect((error as Error).name).toBe("TypeError");
    expect(await explained(endpoint)).toEqual({
      kind: "untyped-error",
      sentence: `The endpoint ${endpoint} answered HTTP 400 with an error that names no error type.`,
      mayHaveArrived: true,
    });
    // The query protocol cannot read JSON at all.
    expect((await explained(endpoint, "cfn"))?.sentence).toBe(
      `The endpoint ${endpoint} answered HTTP 400 with a body that is not an AWS response.`,
    );
  });

  it("an error body with a message but no type, quoted safely", async () => {
    const endpoint = await serve(
      answer(500, "application/json", JSON.stringify({ message: "boom \u001b]52;c;ZWNobyBwd25lZA==\u0007\nsecond line" })),
    );
    expect(await explained(endpoint)).toEqual({
      kind: "untyped-error",
      sentence: `The endpoint ${endpoint} answered HTTP 500 with an error that names no error type: "boom \\u001b]52;c;ZWNobyBwd25lZA==\\u0007".`,
      mayHaveArrived: true,
    });
  });

  it("connection refused", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    expect(await explained(endpoint)).toEqual({
      kind: "connection-refused",
      sentence: `Nothing accepts connections at the endpoint ${endpoint} (ECONNREFUSED): check the endpoint URL and that the service runs.`,
      mayHaveArrived: false,
    });
  });

  it("a host name that does not resolve", async () => {
    const endpoint = "http://no-such-host.invalid";
    const problem = await explained(endpoint);
    expect(problem?.kind).toBe("host-not-found");
    expect(problem?.sentence).toMatch(
      /^The host of the endpoint http:\/\/no-such-host\.invalid:80 could not be found \((ENOTFOUND|EAI_AGAIN)\): check the endpoint URL, the region and the network's DNS\.$/,
    );
    expect(problem?.mayHaveArrived).toBe(false);
  });

  it("a connection that is never established (a name lookup that never ends)", async () => {
    const stalled = new Agent({ lookup: (() => {}) as never });
    const problem = await explained("http://stalled.example", "sfn", { connectionTimeout: 300, httpAgent: stalled });
    expect(problem).toEqual({
      kind: "connect-timeout",
      sentence: "The endpoint http://stalled.example:80 did not accept a connection within 0.3 s.",
      mayHaveArrived: false,
    });
  });

  it("a server that accepts the request and never answers: socket and request timeouts", async () => {
    const endpoint = await serve(() => {});
    expect(await explained(endpoint, "sfn", { socketTimeout: 300 })).toEqual({
      kind: "read-timeout",
      sentence: `The endpoint ${endpoint} accepted the request but sent no answer within 0.3 s.`,
      mayHaveArrived: true,
    });
    expect((await explained(endpoint, "cfn", { requestTimeout: 2000, throwOnRequestTimeout: true }))?.sentence).toBe(
      `The endpoint ${endpoint} accepted the request but sent no answer within 2 s.`,
    );
  });

  it("a server that cuts the connection", async () => {
    const endpoint = await serve((req) => req.socket.destroy());
    const problem = await explained(endpoint);
    expect(problem?.kind).toBe("connection-reset");
    expect(problem?.sentence).toMatch(
      new RegExp(`^The endpoint ${endpoint} closed the connection before answering \\((ECONNRESET|socket hang up)\\)\\.$`),
    );
  });

  it("names AWS's own endpoint when none is configured, and neutralises a hostile one", async () => {
    const closed = "http://127.0.0.1:1";
    const error = await thrown(closed);
    expect(explainTransportError(error)?.sentence).toBe(
      "Nothing accepts connections at the AWS endpoint (ECONNREFUSED): check the endpoint URL and that the service runs.",
    );
    // The endpoint is named by scheme, host and port: a hostile path never reaches the terminal.
    const hostile = explainTransportError(error, "http://127.0.0.1:1/\u001b[2J")?.sentence ?? "";
    expect(hostile).toBe(
      "Nothing accepts connections at the endpoint http://127.0.0.1:1 (ECONNREFUSED): check the endpoint URL and that the service runs.",
    );
  });

  it("leaves service errors with a type, and anything else, to the caller", async () => {
    const typed = await serve(answer(400, "application/x-amz-json-1.0", '{"__type":"StateMachineDoesNotExist","message":"no"}'));
    expect(explainTransportError(await thrown(typed), typed)).toBeUndefined();
    expect(explainTransportError(new Error("something else"), typed)).toBeUndefined();
    expect(explainTransportError(undefined)).toBeUndefined();
    expect(explainTransportError("a string")).toBeUndefined();
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
