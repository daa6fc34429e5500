// The performance targets, each checked against a benchmark run: what it asks, what was
// measured, and whether it is met (undefined: the rows it needs were not measured).

const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const x = (ratio) => `${ratio.toFixed(2)}×`;
const MB = 1e6;

/** The stated conditions of a target, and how this run differed from them (a quick run, other sizes). */
function conditions(wanted, actual) {
  const differ = Object.entries(wanted).filter(([key, value]) => actual[key] !== value);
  return differ.length ? ` (this run: ${differ.map(([key]) => `${key} ${actual[key]}`).join(", ")})` : "";
}

/**
 * Every target of the requirements as `{ target, measured, met }`.
 * @param {{ rows: Record<string, any>, config: any }} results
 */
export function targets({ rows, config: c }) {
  const out = [];
  const add = (target, need, measure) => {
    if (!need.every((id) => rows[id]?.ms?.median !== undefined)) return out.push({ target, measured: "–", met: undefined });
    const [measured, met] = measure(...need.map((id) => rows[id]));
    out.push({ target, measured, met });
  };
  const budget = 1.5 * c.slowDelayMs;
  add(
    `warm \`pending\` waits at most one round trip: with ${c.slowDelayMs} ms per request at most ${budget} ms longer than with none`,
    ["warm.slow", "warm.fast"],
    (slow, fast) => {
      const extra = slow.ms.median - fast.ms.median;
      return [
        `${Math.round(extra)} ms longer (${s(slow.ms.median)} vs ${s(fast.ms.median)}): ${(extra / c.slowDelayMs).toFixed(1)} round trips`,
        slow.ok && fast.ok && extra <= budget,
      ];
    },
  );
  add("warm `pending` makes at most 2 requests when nothing changed", ["warm.fast", "warm.slow"], (fast, slow) => {
    const most = Math.max(fast.callsMax, slow.callsMax);
    return [`${most} requests (${operations(fast.byOperation)})`, fast.ok && most <= 2];
  });
  add("warm `pending` on the emulator, no added delay, at most 2.5× `node -e 0`", ["startup.warm", "startup.node"], (warm, node) => {
    const ratio = warm.ms.median / node.ms.median;
    return [`${x(ratio)} (${s(warm.ms.median)} vs ${s(node.ms.median)})`, warm.ok && ratio <= 2.5];
  });
  add(
    "decisions right after `pending`: at most 2 requests per execution, plus one GetCallerIdentity per command",
    ["approve.cli"],
    (cli) => {
      // Who decides is read once per command (STS), alongside the first call: it is counted apart.
      const identity = cli.byOperation?.GetCallerIdentity ?? 0;
      const per = (cli.callsMax - Math.min(identity, 1)) / cli.n;
      const check = rows["approve.check"];
      const ended = !check || check.succeeded === check.expected;
      const missing = ended ? "" : `; only ${check.succeeded} of ${check.expected} decided executions ended SUCCEEDED`;
      return [
        `${per.toFixed(2)} per execution + ${identity} GetCallerIdentity (${cli.callsMax} for ${cli.n}: ${operations(cli.byOperation)})${missing}`,
        cli.ok && ended && per <= 2 && identity <= 1,
      ];
    },
  );
  add(
    `${c.batch} approvals within 1.2× a SendTaskSuccess loop over known tokens (${c.baseline}), same ${c.delayMs} ms proxy${conditions({ batch: 100 }, c)}`,
    ["approve.cli", "approve.loop"],
    (cli, loop) => {
      const ratio = cli.ms.median / loop.ms.median;
      const threads = rows["approve.threads"];
      const pace = threads?.ms ? `; the same calls from 10 threads: ${s(threads.ms.median)}` : "";
      return [`${x(ratio)} (${s(cli.ms.median)} vs ${s(loop.ms.median)}${pace})`, cli.ok && loop.ok && ratio <= 1.2];
    },
  );
  const floorMs = (Math.max(0, c.n - c.bucket.burst) / c.bucket.perSecond) * 1000;
  add(
    `cold \`pending\` within 1.1× the quota floor at N=1,000 under the token bucket, no error${conditions({ n: 1000, bucket: "400/20" }, { ...c, bucket: `${c.bucket.burst}/${c.bucket.perSecond}` })}`,
    ["bucket.cold"],
    (cold) => {
      if (floorMs === 0) return [`no floor: N=${c.n} fits in the bucket of ${c.bucket.burst}`, undefined];
      const ratio = cold.ms.median / floorMs;
      const all = cold.found === c.n ? "all found" : `${cold.found ?? "none"} of ${c.n} found`;
      return [
        `${x(ratio)} the floor (${s(cold.ms.median)} vs (${c.n} − ${c.bucket.burst}) / ${c.bucket.perSecond} = ${s(floorMs)}); ${cold.throttled} throttled answers, ${all}`,
        cold.ok && cold.found === c.n && ratio <= 1.1,
      ];
    },
  );
  add(
    `cold \`pending\` on the emulator within 1.15× its serial service time (N=${c.n})`,
    ["emulator.cold", "emulator.serial"],
    (cold, serial) => {
      const ratio = cold.ms.median / serial.ms.median;
      return [`${x(ratio)} (${s(cold.ms.median)} vs ${s(serial.ms.median)})`, cold.ok && cold.found === c.n && ratio <= 1.15];
    },
  );
  add(`peak RSS of cold \`pending\` under 150 MB at N=5,000${conditions({ memoryN: 5000 }, c)}`, ["memory.cold"], (cold) => [
    `${((cold.rssKb * 1024) / MB).toFixed(0)} MB (highest of ${cold.runs} runs)`,
    cold.ok && cold.rssKb !== undefined && cold.rssKb * 1024 < 150 * MB,
  ]);
  add("the cache file grows linearly with the executions waiting", ["emulator.cold", "memory.cold"], (small, large) => {
    const perSmall = small.cacheBytes / small.n;
    const perLarge = large.cacheBytes / large.n;
    const ratio = perLarge / perSmall;
    return [
      `${Math.round(perSmall)} bytes per execution at N=${small.n}, ${Math.round(perLarge)} at N=${large.n} (${x(ratio)})`,
      small.ok && large.ok && perSmall > 0 && ratio >= 0.85 && ratio <= 1.15,
    ];
  });
  return out;
}

/** What the emulator cannot show, each with the measurement that says why. */
export function emulatorLimits({ rows, config: c }) {
  const out = [];
  const serial = rows["emulator.serial"];
  if (serial?.ms?.median) {
    const perRequest = serial.ms.median / (serial.n + Math.ceil(serial.n / 1000));
    const overlap = (c.delayMs + perRequest) / perRequest;
    out.push(
      `Reading wider than 10 in flight: moto answers one request at a time, ${perRequest.toFixed(1)} ms per history read here ` +
        `(N=${serial.n} in ${s(serial.ms.median)}), so with a ${c.delayMs} ms round trip no more than about ${overlap.toFixed(0)} requests ` +
        "in flight can overlap; more concurrency gains nothing on the emulator, only against AWS.",
    );
    const floorMs = (Math.max(0, c.n - c.bucket.burst) / c.bucket.perSecond) * 1000;
    if (floorMs > 0 && serial.ms.median >= floorMs)
      out.push(
        `The quota floor (${s(floorMs)}) is below moto's own serial time (${s(serial.ms.median)}): the bucket rows show moto, not the quota.`,
      );
  }
  return out;
}

function operations(byOperation = {}) {
  return Object.entries(byOperation)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}
