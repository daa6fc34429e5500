// The top-level error path: what toUserError makes of what the real SDK throws below the AWS API (the
// endpoint named as the user configured it), a full stop between a service's words and the CLI's, and
// --debug's SDK log lines in words. Each SDK error comes from a real client against a local server.
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ListStateMachinesCommand } from "@aws-sdk/client-sfn";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createSfnClient } from "../../src/aws/clients.js";
import { toUserError } from "../../src/aws/errors.js";
import { describeSdkLog } from "../../src/aws/sdk-log.js";
import { ApprovalsError, AwsError, amend } from "../../src/errors.js";

const servers: Server[] = [];
afterEach(() => vi.unstubAllEnvs());
afterAll(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(status: number, type: string, body: string): Promise<string> {
  const handler: RequestListener = (req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    });
  };
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ENV = { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_MAX_ATTEMPTS: "1" };

/** What the CLI's own client throws for one call, with the endpoint given by option or environment. */
async function thrown(options: { endpointUrl?: string; env?: Record<string, string>; warnings?: string[] }): Promise<unknown> {
  // The SDK reads the process environment itself (region, keys, AWS_ENDPOINT_URL...); the CLI reads the copy it is given.
  const env = { ...ENV, ...options.env };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const sfn = await createSfnClient({ endpointUrl: options.endpointUrl, env, onWarning: (message) => options.warnings?.push(message) });
  try {
    await sfn.send(new ListStateMachinesCommand({}));
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded");
}

describe("toUserError explains transport and parser failures", () => {
  it("an error body with no type, naming --endpoint-url, instead of a TypeError", async () => {
    const endpoint = await serve(400, "application/x-amz-json-1.0", '{"__type": null}');
    const error = toUserError(await thrown({ endpointUrl: endpoint }), "Starting the execution");
    expect(error.message).toBe(
      `Starting the execution failed: the endpoint ${endpoint} answered HTTP 400 with an error that names no error type.`,
    );
    expect(error.message).not.toMatch(/TypeError|indexOf/);
    expect(error.cause).toBeDefined();
  });

  it("a proxy's HTML page, naming AWS_ENDPOINT_URL_SFN over AWS_ENDPOINT_URL", async () => {
    const endpoint = await serve(502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>");
    const error = toUserError(
      await thrown({ env: { AWS_ENDPOINT_URL_SFN: endpoint, AWS_ENDPOINT_URL: "http://127.0.0.1:9" } }),
      "Listing waiting executions",
    );
    expect(error.message).toBe(
      `Listing waiting executions failed: the endpoint ${endpoint} answered HTTP 502 with a web page, not an AWS response: a proxy or gateway on the way may have failed.`,
    );
  });

  it("an endpoint with a path", async () => {
    const endpoint = `${await serve(404, "text/html", "<!doctype html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n")}/api`;
    const error = toUserError(await thrown({ env: { AWS_ENDPOINT_URL: endpoint } }), "Reading the state machine");
    expect(error.message).toMatch(
      /^Reading the state machine failed: the endpoint http:\/\/127\.0\.0\.1:\d+ answered HTTP 404: an endpoint URL has no path, so leave out \/api\.$/,
    );
  });

  it("leaves a service error with a type to the AWS wrapper", async () => {
    const endpoint = await serve(400, "application/x-amz-json-1.0", '{"__type": "ThrottlingException", "message": "Rate exceeded"}');
    const error = toUserError(await thrown({ endpointUrl: endpoint }), "Listing");
    expect(error).toBeInstanceOf(AwsError);
    expect(error.message).toBe("Listing failed: ThrottlingException: Rate exceeded");
  });
});

describe("amend", () => {
  it("puts a full stop between a service's words and the sentence added", () => {
    const error = amend(new ApprovalsError(`Sending failed: SyntaxError: "<html>" is not valid JSON`), {
      append: "It may have reached Step Functions.",
    });
    expect(error.message).toBe('Sending failed: SyntaxError: "<html>" is not valid JSON. It may have reached Step Functions.');
    expect(amend(new ApprovalsError("Done."), { append: "More." }).message).toBe("Done. More.");
  });
});

describe("--debug's SDK log lines", () => {
  it("say which call failed and why, never [object Object] nor the call's input", async () => {
    const endpoint = await serve(400, "application/x-amz-json-1.0", '{"__type": null}');
    const warnings: string[] = [];
    await thrown({ endpointUrl: endpoint, warnings });
    expect(warnings.join("\n")).not.toContain("[object Object]");
    expect(warnings[0]).toMatch(/^SFN\.ListStateMachines failed: TypeError: /);
  });

  it("keep only the SDK's words of a log entry", () => {
    const entry = {
      clientName: "SFNClient",
      commandName: "SendTaskSuccessCommand",
      input: { taskToken: "SECRET" },
      error: new Error("boom"),
    };
    expect(describeSdkLog([entry])).toBe("SFN.SendTaskSuccess failed: Error: boom");
    expect(describeSdkLog(["a warning", { message: "said" }])).toBe("a warning said");
    expect(describeSdkLog([{ input: { taskToken: "SECRET" } }])).not.toContain("SECRET");
  });
});
