// An HTTP proxy in front of the local emulator that behaves more like AWS seen from a region away:
// a fixed round-trip delay, Step Functions' per-operation throttling, injected faults, and a count
// of every call by operation. Used by `npm run bench` and by the fault tests.
import { Agent, createServer, request as httpRequest } from "node:http";

/**
 * Step Functions' published quotas per account and region (us-east-1, us-west-2, eu-west-1):
 * bucket size and refill per second, for the operations `approvals` calls in bulk.
 * @type {Record<string, { burst: number, perSecond: number }>}
 */
export const STEP_FUNCTIONS_QUOTAS = {
  GetExecutionHistory: { burst: 400, perSecond: 20 },
  ListExecutions: { burst: 200, perSecond: 5 },
  SendTaskSuccess: { burst: 3000, perSecond: 500 },
};

/**
 * @typedef {object} FaultOptions
 * @property {number} rate Fraction of requests (0..1) answered with a fault instead of being forwarded.
 * @property {Array<"throttle" | "500">} [kinds] Faults to pick from at random; default `["throttle", "500"]`.
 * @property {string[]} [operations] Operations to inject into (e.g. `["GetExecutionHistory"]`); default all.
 * @property {number} [seed] Seed of the fault dice, for repeatable runs; default random.
 */

/**
 * @typedef {object} ProxyStats
 * @property {Record<string, number>} calls Requests received per operation (including throttled and faulted ones).
 * @property {Record<string, number>} throttled Requests answered ThrottlingException by the token bucket, per operation.
 * @property {Record<string, number>} faults Requests answered by fault injection, per operation.
 * @property {number} total All requests received.
 */

/**
 * Start the proxy on a free loopback port.
 *
 * The operation of a request is read from its `X-Amz-Target` header (JSON protocols, e.g.
 * `AWSStepFunctions.GetExecutionHistory` → `GetExecutionHistory`) or from the `Action` field of a
 * form-encoded body (query protocols: CloudFormation, SNS). Other requests count as `other`.
 *
 * @param {object} options
 * @param {string} options.target The emulator's endpoint, e.g. `http://127.0.0.1:5000`.
 * @param {number} [options.delayMs] Round-trip delay added to every request; default 0.
 * @param {boolean | Record<string, { burst: number, perSecond: number }>} [options.throttle]
 *   `true` throttles with {@link STEP_FUNCTIONS_QUOTAS}; an object gives buckets per operation;
 *   default false. An empty bucket answers HTTP 400 `{"__type":"ThrottlingException","message":"Rate exceeded"}`
 *   (the query protocol's `Throttling` XML error for CloudFormation and SNS).
 * @param {FaultOptions} [options.faults] Answer a fraction of requests with throttling or HTTP 500; default none.
 * @returns {Promise<{ endpoint: string, port: number, stats: ProxyStats, reset: () => void,
 *   setFaults: (faults: FaultOptions | undefined) => void, stop: () => Promise<void> }>}
 *   `stats` is live; `reset()` zeroes it and refills every bucket; `setFaults` changes the faults of later requests.
 */
export async function startProxy(options) {
  const target = new URL(options.target);
  const delayMs = options.delayMs ?? 0;
  const quotas = options.throttle === true ? STEP_FUNCTIONS_QUOTAS : options.throttle || {};
  let faults = options.faults;
  let dice = random(faults?.seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { calls: {}, throttled: {}, faults: {}, total: 0 };
  let buckets = {};
  const reset = () => {
    for (const key of ["calls", "throttled", "faults"]) stats[key] = {};
    stats.total = 0;
    buckets = {};
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const jsonProtocol = typeof req.headers["x-amz-target"] === "string";
    const operation = operationOf(req.headers["x-amz-target"], body);
    stats.total++;
    bump(stats.calls, operation);
    if (delayMs > 0) await sleep(delayMs);

    const fault = pickFault(faults, operation, dice);
    if (fault) {
      bump(stats.faults, operation);
      return fault === "500" ? answerError(res, jsonProtocol, 500, "InternalFailure", "Injected fault") : answerThrottle(res, jsonProtocol);
    }
    const quota = quotas[operation];
    if (quota && !take(buckets, operation, quota)) {
      bump(stats.throttled, operation);
      return answerThrottle(res, jsonProtocol);
    }
    forward(req, res, body);
  });

  /** Send the request on to the emulator and stream its answer back. */
  function forward(req, res, body) {
    const upstream = httpRequest(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`proxy: ${error.message}`);
    });
    upstream.end(body);
  }

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats,
    reset,
    setFaults: (next) => {
      faults = next;
      dice = random(next?.seed);
    },
    stop: async () => {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

/** `AWSStepFunctions.ListExecutions` → `ListExecutions`; `Action=DescribeStacks&...` → `DescribeStacks`. */
function operationOf(targetHeader, body) {
  if (typeof targetHeader === "string") return targetHeader.slice(targetHeader.lastIndexOf(".") + 1);
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString("latin1"));
  return action?.[1] ?? "other";
}

/** Take one token from the operation's bucket, refilled continuously; false when it is empty. */
function take(buckets, operation, quota) {
  const now = performance.now();
  buckets[operation] ??= { tokens: quota.burst, at: now };
  const bucket = buckets[operation];
  bucket.tokens = Math.min(quota.burst, bucket.tokens + ((now - bucket.at) / 1000) * quota.perSecond);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

function pickFault(faults, operation, dice) {
  if (!faults || !(faults.rate > 0)) return undefined;
  if (faults.operations && !faults.operations.includes(operation)) return undefined;
  if (dice() >= faults.rate) return undefined;
  const kinds = faults.kinds?.length ? faults.kinds : ["throttle", "500"];
  return kinds[Math.floor(dice() * kinds.length)];
}

function answerThrottle(res, jsonProtocol) {
  answerError(res, jsonProtocol, 400, jsonProtocol ? "ThrottlingException" : "Throttling", "Rate exceeded");
}

function answerError(res, jsonProtocol, status, code, message) {
  const requestId = crypto.randomUUID();
  if (jsonProtocol) {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": requestId });
    res.end(JSON.stringify({ __type: code, message }));
    return;
  }
  const type = status >= 500 ? "Receiver" : "Sender";
  res.writeHead(status, { "content-type": "text/xml", "x-amzn-requestid": requestId });
  res.end(
    `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  );
}

function bump(counts, operation) {
  counts[operation] = (counts[operation] ?? 0) + 1;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A small seeded generator (mulberry32) when a seed is given, else Math.random. */
function random(seed) {
  if (seed === undefined) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
