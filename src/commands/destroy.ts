import { deleteStack, stackToDelete, waitingOnStack } from "../core/stack/delete.js";
import { duration } from "../output/format.js";
import { formatStackEvent } from "../output/stack-report.js";
import type { CommandContext } from "./context.js";
import type { HandlerOf } from "./define.js";
import type { destroy } from "./destroy.spec.js";

/** `approvals destroy`: say what still waits on the stack, delete it after confirmation and wait until it is gone. */
export const handler: HandlerOf<typeof destroy> = async (ctx) => {
  const { out } = ctx;
  const stack = await stackToDelete(ctx);
  out.ensureCanConfirm("delete the stack");
  const progress = out.progress("Reading waiting executions…");
  const waiting = await waitingOnStack(ctx).finally(() => progress.stop());
  if (waiting?.length) out.warn(waitingNote(ctx, waiting));
  await out.confirm(`Delete stack ${ctx.stackName} (${stack.StackStatus}) and all its resources?`, "delete the stack");
  await deleteStack({ ...ctx, emit: (e) => e.type === "stack-event" && out.info(formatStackEvent(out, e.event, out.errorWidth)) }, stack);
  out.result(`Deleted stack ${ctx.stackName}.`);
  return 0;
};

/** What deleting does to the executions still waiting: they wait on, and their links stop working. */
function waitingNote(ctx: CommandContext, waiting: { expiresAt: Date | undefined }[]): string {
  const one = waiting.length === 1;
  const last = Math.max(...waiting.map((w) => w.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY));
  const left = Number.isFinite(last) ? `${one ? "in" : "the last in"} ${duration(Math.max(0, last - ctx.now().getTime()))}` : "none is set";
  return one
    ? "1 execution is still waiting for a decision. Deleting the stack does not end it: it keeps waiting until its " +
        `timeout (${left}), and the Approve and Reject links in its email stop working.`
    : `${waiting.length} executions are still waiting for a decision. Deleting the stack does not end them: they keep ` +
        `waiting until their timeout (${left}), and the Approve and Reject links in their emails stop working.`;
}
