// API Gateway's stage throttling, as the loopback approval API applies it: the `MethodSettings` of the
// template's AWS::ApiGateway::Stage, one token bucket per method (ThrottlingBurstLimit tokens at most,
// ThrottlingRateLimit more each second, one per request), checked before the function is called.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** How specific a method setting is for `/execution` and `method`; -1 when it does not apply. */
function rank(setting, method) {
  const path = setting.ResourcePath === "/~1execution" ? 2 : setting.ResourcePath === "/*" ? 0 : -1;
  const verb = setting.HttpMethod === method ? 1 : setting.HttpMethod === "*" ? 0 : -1;
  return path < 0 || verb < 0 ? -1 : path + verb;
}

/**
 * The throttle of the stage `stageName` of the template at `templatePath`. `admit(method)` takes a
 * token and says whether API Gateway lets the request through (false: it answers 429). A method
 * with no burst and rate set is not throttled (API Gateway's account limit is far above a test's).
 * @param {() => number} [now] milliseconds, default `performance.now()`
 */
export function stageThrottle(templatePath, stageName, now = () => performance.now()) {
  // Short-form tags (!Ref) are unknown to the parser: silenced, they read as plain values.
  const resources = parse(readFileSync(templatePath, "utf8"), { logLevel: "silent" })?.Resources ?? {};
  const stage = Object.values(resources).find((r) => r?.Type === "AWS::ApiGateway::Stage" && r.Properties?.StageName === stageName);
  const settings = stage?.Properties?.MethodSettings ?? [];
  const buckets = new Map();
  return {
    admit(method) {
      const setting = settings.filter((s) => rank(s, method) >= 0).sort((a, b) => rank(b, method) - rank(a, method))[0];
      const burst = setting?.ThrottlingBurstLimit;
      const rate = setting?.ThrottlingRateLimit;
      if (typeof burst !== "number" || typeof rate !== "number") return true;
      const t = now();
      const bucket = buckets.get(method) ?? { tokens: burst, at: t };
      bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) * rate) / 1000);
      bucket.at = t;
      buckets.set(method, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
}
