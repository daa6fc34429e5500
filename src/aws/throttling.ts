import type { SFNClient } from "@aws-sdk/client-sfn";
import { isThrottling } from "../lib/adaptive.js";

/** A throttled answer on its way past the SDK's retry strategy, back to the caller. */
class ThrottledAnswer extends Error {
  constructor(readonly answer: unknown) {
    super("throttled");
    this.name = "ThrottledAnswer";
  }
}

/** The part of a client this needs: its middleware stack, and the SDK's cache of resolved handlers. */
interface ClientWithStack {
  middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
  handlers?: unknown;
}

/** Inputs of the calls whose throttled answers go back to the caller. */
const toCaller = new WeakSet<object>();
/** Clients that have the middleware which does it. */
const installed = new WeakSet<object>();

/**
 * Send a command whose throttled answers come straight back to the caller, instead of being retried
 * by the SDK after its jittered sleep (up to 1 s, then 2 s, 4 s… for throttling). For calls made
 * under {@link mapAdaptive}, whose window already narrows and pauses on throttling: sleeping in the
 * SDK as well left the bucket's refilled tokens unused while calls slept. Every other error,
 * timeouts and HTTP 5xx included, is still retried by the SDK.
 */
export async function sendWithoutThrottlingRetries<Output>(
  sfn: SFNClient,
  command: { input: object },
  abortSignal?: AbortSignal,
): Promise<Output> {
  install(sfn as unknown as ClientWithStack);
  toCaller.add(command.input);
  try {
    return (await (abortSignal ? sfn.send(command as never, { abortSignal }) : sfn.send(command as never))) as Output;
  } catch (error) {
    throw error instanceof ThrottledAnswer ? error.answer : error;
  }
}

/**
 * One middleware on the client, not one per command: the clients keep the handlers they resolve
 * per command type (`cacheMiddleware`), which a command with middleware of its own would defeat.
 * Inside the retry middleware (finalizeRequest, low priority), it sees every attempt's answer and
 * hands a throttled one of a marked call on as an error the retry strategy does not retry.
 */
function install(client: ClientWithStack): void {
  if (installed.has(client)) return;
  installed.add(client);
  client.middlewareStack.add(
    (next: (args: { input?: object }) => Promise<unknown>) => async (args: { input?: object }) => {
      try {
        return await next(args);
      } catch (error) {
        throw isThrottling(error) && args.input && toCaller.has(args.input) ? new ThrottledAnswer(error) : error;
      }
    },
    { step: "finalizeRequest", priority: "low", name: "throttlingToCaller" },
  );
  // Handlers resolved before this middleware was added do not have it.
  delete client.handlers;
}
