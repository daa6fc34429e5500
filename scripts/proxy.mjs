// An HTTP proxy in front of the local emulator that behaves more like AWS seen from a region away:
// a fixed round-trip delay, Step Functions' per-operation throttling, injected faults (HTTP 500s,
// throttling, replies lost after the request reached the emulator, a black hole, delays of chosen
// requests), a count of every call by operation, and a record of every request the emulator received.
// Used by `npm run bench` and by the fault tests.
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
 * @typedef {object} LostReply A reply lost on the way back: the request reaches the emulator, which acts
 *   on it, and the client gets an HTTP 500 (`InternalFailure`) or a dropped connection instead of its answer.
 * @property {string} operation The operation whose replies are lost, e.g. `SendTaskSuccess`.
 * @property {number} [times] How many of its next requests lose their reply (`Infinity`: all); default 1.
 * @property {"500" | "drop"} [answer] What the client gets instead; default `"500"`.
 */

/**
 * @typedef {object} BlackHole Requests accepted and read but never answered, nor forwarded.
 * @property {string[]} [operations] Operations swallowed; default all.
 */

/**
 * @typedef {object} Delay Hold requests back before handling them.
 * @property {number} ms How long.
 * @property {string} [operation] Only requests for this operation; default all.
 * @property {number} [nth] Only the nth matching request (from 1) since the delay was set; default every one.
 */

/**
 * @typedef {object} ReceivedRequest One request forwarded to the emulator: what reached it, independent of
 *   what the client saw.
 * @property {string} operation
 * @property {string} body The request body as sent (for JSON protocols, JSON; for query protocols, a form).
 * @property {number} delayedMs What {@link Delay}s held it back.
 * @property {number} [status] The emulator's HTTP status, once it answered.
 * @property {"500" | "drop"} [lost] Set when the client did not get the emulator's answer (a {@link LostReply}).
 */

/**
 * @typedef {object} ProxyStats
 * @property {Record<string, number>} calls Requests received per operation (including throttled and faulted ones).
 * @property {Record<string, number>} throttled Requests answered ThrottlingException by the token bucket, per operation.
 * @property {Record<string, number>} faults Requests answered by fault injection, per operation.
 * @property {Record<string, number>} lost Requests forwarded whose reply the client never got, per operation.
 * @property {Record<string, number>} swallowed Requests the black hole kept, per operation.
 * @property {number} total All requests received.
 */

/**
 * @typedef {object} Behaviour What {@link startProxy} does to requests, each part replaceable at run time.
 * @property {FaultOptions} [faults] Answer a fraction of requests with throttling or HTTP 500; default none.
 * @property {LostReply[]} [lostReplies] Forward, then lose the reply; default none.
 * @property {boolean | BlackHole} [blackHole] Never answer (`true`: every request); default false.
 * @property {Delay[]} [delays] Hold chosen requests back; default none.
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
 * @param {LostReply[]} [options.lostReplies] See {@link Behaviour}.
 * @param {boolean | BlackHole} [options.blackHole] See {@link Behaviour}.
 * @param {Delay[]} [options.delays] See {@link Behaviour}.
 * @returns {Promise<{ endpoint: string, port: number, stats: ProxyStats, received: ReceivedRequest[], reset: () => void,
 *   setFaults: (faults: FaultOptions | undefined) => void, configure: (behaviour: Behaviour) => void, stop: () => Promise<void> }>}
 *   `stats` and `received` are live; `reset()` zeroes and empties them and refills every bucket; `setFaults`
 *   changes the faults of later requests, `configure` any part of the behaviour given (counting `times`
 *   and `nth` afresh). A request meets the black hole first, then the delays, faults, throttling and lost replies.
 */
export async function startProxy(options) {
  const target = new URL(options.target);
  const delayMs = options.delayMs ?? 0;
  const quotas = options.throttle === true ? STEP_FUNCTIONS_QUOTAS : options.throttle || {};
  let faults = options.faults;
  let dice = random(faults?.seed);
  let lostReplies = [];
  let blackHole = options.blackHole ?? false;
  let delays = [];
  const setLostReplies = (rules = []) => {
    lostReplies = rules.map((rule) => ({ ...rule, left: rule.times ?? 1 }));
  };
  const setDelays = (rules = []) => {
    delays = rules.map((rule) => ({ ...rule, seen: 0 }));
  };
  setLostReplies(options.lostReplies);
  setDelays(options.delays);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { calls: {}, throttled: {}, faults: {}, lost: {}, swallowed: {}, total: 0 };
  /** @type {ReceivedRequest[]} */
  const received = [];
  let buckets = {};
  const reset = () => {
    for (const key of ["calls", "throttled", "faults", "lost", "swallowed"]) stats[key] = {};
    stats.total = 0;
    received.length = 0;
    buckets = {};
  };

  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const jsonProtocol = typeof req.headers["x-amz-target"] === "string";
    const operation = operationOf(req.headers["x-amz-target"], body);
    stats.total++;
    bump(stats.calls, operation);
    if (blackHole && (blackHole === true || !blackHole.operations || blackHole.operations.includes(operation))) {
      // Read, never answered: the client waits until its own timeout. stop() cuts the connection.
      bump(stats.swallowed, operation);
      return;
    }
    const held = delayMs + delayFor(delays, operation);
    if (held > 0) await sleep(held);

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
    const entry = { operation, body: body.toString("utf8"), delayedMs: held - delayMs };
    received.push(entry);
    const lose = lostReplies.find((rule) => rule.operation === operation && rule.left > 0);
    if (lose) {
      lose.left--;
      entry.lost = lose.answer ?? "500";
      bump(stats.lost, operation);
    }
    forward(req, res, body, entry, jsonProtocol);
  });

  /** Send the request on to the emulator and stream its answer back, unless the reply is to be lost. */
  function forward(req, res, body, entry, jsonProtocol) {
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
        entry.status = answer.statusCode;
        if (!entry.lost) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        // The emulator has acted on the request; its answer goes nowhere.
        answer.resume();
        answer.on("end", () => {
          if (entry.lost === "drop") req.socket.destroy();
          else answerError(res, jsonProtocol, 500, "InternalFailure", "Injected fault after the request was handled");
        });
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
  const setFaults = (next) => {
    faults = next;
    dice = random(next?.seed);
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stats,
    received,
    reset,
    setFaults,
    configure: (behaviour) => {
      if ("faults" in behaviour) setFaults(behaviour.faults);
      if ("lostReplies" in behaviour) setLostReplies(behaviour.lostReplies);
      if ("blackHole" in behaviour) blackHole = behaviour.blackHole ?? false;
      if ("delays" in behaviour) setDelays(behaviour.delays);
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

/** The milliseconds the delays hold this request back; counts it towards each matching delay's `nth`. */
function delayFor(delays, operation) {
  let ms = 0;
  for (const delay of delays) {
    if (delay.operation && delay.operation !== operation) continue;
    delay.seen++;
    if (delay.nth === undefined || delay.nth === delay.seen) ms += delay.ms;
  }
  return ms;
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
