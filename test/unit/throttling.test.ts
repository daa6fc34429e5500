import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetExecutionHistoryCommand, type GetExecutionHistoryCommandOutput, SFNClient } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendWithoutThrottlingRetries } from "../../src/aws/throttling.js";
import { awsErrorName } from "../../src/errors.js";

// A loopback endpoint that answers from a script: Step Functions' throttling answer, an HTTP 500, or
// an empty history; it counts the requests that reached it.
let server: Server;
let endpoint: string;
let script: Array<"throttle" | "500" | "ok">;
let requests: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume().on("end", () => {
      requests++;
      const answer = script.shift() ?? "ok";
      const [status, body] =
        answer === "throttle"
          ? [400, { __type: "ThrottlingException", message: "Rate exceeded" }]
          : answer === "500"
            ? [500, { __type: "InternalFailure", message: "oops" }]
            : [200, { events: [{ id: 1, type: "ExecutionStarted", timestamp: 0 }] }];
      res.writeHead(status, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  requests = 0;
});

// As the CLI makes them (aws/clients.ts): the resolved middleware is kept per command type.
const client = (maxAttempts: number) =>
  new SFNClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    maxAttempts,
    retryMode: "standard",
    cacheMiddleware: true,
  });
const history = () => new GetExecutionHistoryCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:sm:x" });

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded");
}

describe("sendWithoutThrottlingRetries", () => {
  it("hands a throttled answer straight back, as the SDK's own error, after one request", async () => {
    script = ["throttle", "throttle", "throttle"];
    const error = await thrown(sendWithoutThrottlingRetries(client(3), history()));
    expect(awsErrorName(error)).toBe("ThrottlingException");
    expect(requests).toBe(1);
  });

  it("leaves every other error to the SDK's retries: an HTTP 500 is tried again", async () => {
    script = ["500", "ok"];
    const page = await sendWithoutThrottlingRetries<GetExecutionHistoryCommandOutput>(client(3), history());
    expect(page.events?.[0]?.id).toBe(1);
    expect(requests).toBe(2);
  });

  it("changes only the command it is given: the same client still retries a throttled call", async () => {
    script = ["throttle", "ok"];
    const sfn = client(2);
    const error = await thrown(sendWithoutThrottlingRetries(sfn, history()));
    expect(awsErrorName(error)).toBe("ThrottlingException");
    script = ["throttle", "ok"];
    requests = 0;
    const page = await sfn.send(history());
    expect(page.events?.[0]?.id).toBe(1);
    expect(requests).toBe(2);
  });

  it("works on a client that already sent the same command type, and the other way round", async () => {
    const sfn = client(2);
    script = ["throttle", "ok"];
    expect((await sfn.send(history())).events?.[0]?.id).toBe(1);
    expect(requests).toBe(2);
    for (let round = 0; round < 2; round++) {
      script = ["throttle", "ok"];
      requests = 0;
      expect(awsErrorName(await thrown(sendWithoutThrottlingRetries(sfn, history())))).toBe("ThrottlingException");
      expect(requests).toBe(1);
      script = ["throttle", "ok"];
      requests = 0;
      expect((await sfn.send(history())).events?.[0]?.id).toBe(1);
      expect(requests).toBe(2);
    }
  });
});
