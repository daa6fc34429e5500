import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the CLI made, by service operation. */
export interface RecordedCall {
  operation: string;
  /** The request body as sent (text). */
  body: string;
}

/** What {@link startRecorder}'s hook may do with a request before it is forwarded. */
export type HookAnswer = "forward" | "drop";

/** Options of {@link startRecorder}. */
export interface RecorderOptions {
  /** The emulator's endpoint. */
  target: string;
  /** Called before each request is forwarded; "drop" destroys the connection instead. Default: forward. */
  before?: (call: RecordedCall, index: number) => HookAnswer | Promise<HookAnswer>;
  /** Rewrite a response body (text) of an operation, e.g. to hold a stack in *_IN_PROGRESS. Default none. */
  rewrite?: (call: RecordedCall, body: string) => string;
}

/** A recording HTTP proxy in front of the emulator. */
export interface Recorder {
  endpoint: string;
  /** Every request received, in order. */
  calls: RecordedCall[];
  /** The operations received that change something at AWS. */
  mutating(): string[];
  /** Stop listening and cut every open connection: the endpoint is gone. */
  stop(): Promise<void>;
}

/** Operations that only read. */
const READ_ONLY = /^(Describe|List|Get|Validate|Estimate)/;

/**
 * Start a proxy that records each request's operation (X-Amz-Target for JSON protocols, Action for
 * query protocols), lets a hook act before forwarding, and can rewrite answers.
 */
export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const target = new URL(options.target);
  const calls: RecordedCall[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const call = { operation: operationOf(req, body), body: body.toString("utf8") };
    calls.push(call);
    const answer = (await options.before?.(call, calls.length - 1)) ?? "forward";
    if (answer === "drop") {
      req.socket.destroy();
      return;
    }
    forward(req, res, body, call);
  });

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, call: RecordedCall): void {
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      async (answer) => {
        let payload = await readBody(answer);
        if (options.rewrite) payload = Buffer.from(options.rewrite(call, payload.toString("utf8")));
        const headers = { ...answer.headers, "content-length": String(payload.length) };
        delete headers["transfer-encoding"];
        res.writeHead(answer.statusCode ?? 502, headers);
        res.end(payload);
      },
    );
    // The emulator is gone: so is the connection, as the CLI would see it without a proxy.
    upstream.on("error", () => req.socket.destroy());
    upstream.end(body);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    mutating: () => calls.map((c) => c.operation).filter((op) => !READ_ONLY.test(op)),
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function operationOf(req: IncomingMessage, body: Buffer): string {
  const target = req.headers["x-amz-target"];
  if (typeof target === "string") return target.slice(target.lastIndexOf(".") + 1);
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString("latin1"))?.[1] ?? `${req.method} ${req.url}`;
}

function readBody(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
