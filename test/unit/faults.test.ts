import { describe, expect, it } from "vitest";
import { toUserError } from "../../src/aws/errors.js";
import { MAX_TIMED_OUT_ATTEMPTS, parseTimeout, RequestTimedOut, requestHandlerTimeouts, timedOut } from "../../src/aws/timeouts.js";
import { sendDecisions } from "../../src/core/executions/decide-batch.js";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import { UsageError } from "../../src/errors.js";
import { InFlight } from "../../src/lib/in-flight.js";
import { CONCURRENCY } from "../../src/settings.js";
import { fakeClient, STATE_MACHINE_ARN, TOKEN, templateDefinition, testContext } from "./fixtures.js";

describe("parseTimeout", () => {
  it("defaults to the AWS CLI's 60 s and takes any number of seconds from 0", () => {
    expect(parseTimeout("--cli-read-timeout", undefined)).toBe(60);
    expect(parseTimeout("--cli-read-timeout", "0")).toBe(0);
    expect(parseTimeout("--cli-read-timeout", "2.5")).toBe(2.5);
  });

  it.each(["-1", "ten", "", " ", "Infinity"])("refuses %j before anything is sent", (value) => {
    expect(() => parseTimeout("--cli-connect-timeout", value)).toThrow(UsageError);
  });
});

describe("requestHandlerTimeouts", () => {
  it("maps connect to connectionTimeout and read to the socket's idle timeout, in ms; 0 stays 0 (no timer)", () => {
    expect(requestHandlerTimeouts({ connectSeconds: 3, readSeconds: 2 })).toEqual({ connectionTimeout: 3000, socketTimeout: 2000 });
    expect(requestHandlerTimeouts({ connectSeconds: 0, readSeconds: 0 })).toEqual({ connectionTimeout: 0, socketTimeout: 0 });
  });
});

describe("a timed-out call's error", () => {
  it("names the endpoint, the timeout and its option, and how many attempts were made", () => {
    const timeout = Object.assign(new RequestTimedOut("read", 2, "http://127.0.0.1:9", new Error("socket timed out")), {
      $metadata: { attempts: MAX_TIMED_OUT_ATTEMPTS },
    });
    const error = toUserError(timeout, "Describing stack s");
    expect(error.message).toBe("Describing stack s failed: no answer from http://127.0.0.1:9 within 2 s (--cli-read-timeout), 2 attempts.");
    expect(error.hint).toMatch(/raise --cli-read-timeout \(0 waits forever\)/);
    expect(toUserError(new RequestTimedOut("connect", 60, "https://states.us-east-1.amazonaws.com", undefined), "Listing").message).toBe(
      "Listing failed: could not connect to https://states.us-east-1.amazonaws.com within 60 s (--cli-connect-timeout).",
    );
  });

  it("is found as the cause of a wrapped error, and carries no cause the SDK would retry", () => {
    const timeout = new RequestTimedOut("read", 1, "http://x", Object.assign(new Error("t"), { name: "TimeoutError" }));
    expect(timedOut(new Error("wrapped", { cause: timeout }))).toBe(timeout);
    expect(timeout.cause).toBeUndefined();
    expect(timeout.name).toBe("RequestTimedOut");
  });
});

describe("InFlight", () => {
  it("lists what runs until it settles, resolved or rejected", async () => {
    const inFlight = new InFlight();
    let finish = () => {};
    const running = inFlight.track("the decision for a", () => new Promise<void>((resolve) => (finish = resolve)));
    const failing = inFlight.track("the decision for b", async () => {
      throw new Error("refused");
    });
    await expect(failing).rejects.toThrow("refused");
    expect(inFlight.list()).toEqual(["the decision for a"]);
    finish();
    await running;
    expect(inFlight.list()).toEqual([]);
  });
});

describe("sendDecisions after Ctrl-C", () => {
  it("starts no further send, lets those in flight finish, and marks the rest interrupted", async () => {
    const controller = new AbortController();
    const sfn = fakeClient({
      SendTaskSuccess: () => {
        controller.abort();
        return {};
      },
    });
    const ctx = testContext({ sfn: sfn.client, signal: controller.signal });
    const workflow = parseWorkflow(templateDefinition());
    const targets = Array.from({ length: CONCURRENCY + 2 }, (_, i) => ({
      arn: `${STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:")}:e${i}`,
      token: `${TOKEN}${i}`,
      workflow,
      verdict: { kind: "approve" as const, output: "{}" },
    }));
    const outcomes = await sendDecisions(ctx, "approve", targets);
    const sent = outcomes.filter((o) => o.sent);
    expect(sent).toHaveLength(sfn.sent.length);
    expect(outcomes.filter((o) => o.interrupted).map((o) => o.name)).toEqual([`e${CONCURRENCY}`, `e${CONCURRENCY + 1}`]);
    expect(outcomes.filter((o) => o.interrupted).every((o) => o.exitCode === 130 && !o.sent)).toBe(true);
  });
});
