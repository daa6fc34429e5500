import type { StackEvent } from "../aws/cloudformation.js";

/**
 * Progress a use case reports while it works. The core only emits these; each command chooses a
 * printer for them (a spinner at a terminal, plain lines in a pipe, nothing at all for `--json`).
 */
export type ProgressEvent =
  /** A stack operation that was already running is waited for before anything else. */
  | { type: "stack-busy"; stackName: string; status: string }
  /** One resource event of the stack operation being watched. */
  | { type: "stack-event"; event: StackEvent }
  /** Decisions were sent and are now followed to their end (`--wait`): the execution's label, or "3 executions". */
  | { type: "following"; what: string }
  /** Something the user should know that changes nothing about the outcome, e.g. a reply that was lost. */
  | { type: "note"; message: string };

/** Where a use case sends its {@link ProgressEvent}s. */
export type EventSink = (event: ProgressEvent) => void;
