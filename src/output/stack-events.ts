import type { ProgressEvent } from "../core/events.js";
import { safeText } from "../lib/safe-text.js";
import type { Output } from "./output.js";
import { formatStackEvent, isFinishedEvent, stackProgressText } from "./stack-report.js";

/** A printer for a stack operation's progress events: the sink to pass to the use case, and `stop`. */
export interface StackPrinter {
  emit: (event: ProgressEvent) => void;
  stop: () => void;
}

/**
 * Print a stack operation's progress: at a terminal a spinner with the elapsed seconds and the
 * latest event, plus a line per finished resource; elsewhere a plain line per event.
 */
export function stackPrinter(out: Output, verb: string, stackName: string): StackPrinter {
  const progress = out.progress(stackProgressText(verb, stackName), { elapsed: true });
  return {
    emit: (event) => {
      if (event.type === "stack-busy") {
        out.info(safeText(`Stack ${event.stackName} is ${event.status}: waiting for that operation to finish first.`));
        return;
      }
      if (event.type === "note") {
        progress.log(event.message);
        return;
      }
      if (event.type !== "stack-event") return;
      progress.update(stackProgressText(verb, stackName, event.event));
      // At a terminal the spinner carries work in progress; only finished resources get a line.
      if (!out.animate || isFinishedEvent(event.event)) progress.log(formatStackEvent(out, event.event, out.errorWidth));
    },
    stop: () => progress.stop(),
  };
}
