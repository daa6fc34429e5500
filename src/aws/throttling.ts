import type { SFNClient } from "@aws-sdk/client-sfn";
import { isThrottling } from "../lib/adaptive.js";

/** A throttled answer on its way past the SDK's retry strategy, back to the caller. */
class ThrottledAnswer extends Error {
  constructor(readonly answer: unknown) {
    super("throttled");
    this.name = "ThrottledAnswer";
  }
}

/** The part of a command this needs: its own middleware stack. */
interface CommandWithStack {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

/**
 * Send a command whose throttled answers come straight back to the caller, instead of being retried
 * by the SDK after its jittered sleep (up to 1 s, then 2 s, 4 s… for throttling). For calls made
 * under {@link mapAdaptive}, whose window already narrows and pauses on throttling: sleeping in the
 * SDK as well left the bucket's refilled tokens unused while calls slept. Every other error,
 * timeouts and HTTP 5xx included, is still retried by the SDK.
 */
export async function sendWithoutThrottlingRetries<Output>(sfn: SFNClient, command: CommandWithStack): Promise<Output> {
  // Inside the retry middleware (finalizeRequest, low priority), so it sees every attempt's answer
  // and hands a throttled one on as an error the retry strategy does not retry.
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        throw isThrottling(error) ? new ThrottledAnswer(error) : error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "throttlingToCaller" },
  );
  try {
    return (await sfn.send(command as never)) as Output;
  } catch (error) {
    throw error instanceof ThrottledAnswer ? error.answer : error;
  }
}
