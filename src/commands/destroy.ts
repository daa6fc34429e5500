import type { Handler } from "../context.js";
import { deleteStack, stackToDelete } from "../core/stack/delete.js";
import { formatStackEvent } from "../output/report.js";

/** `approvals destroy`: delete the stack after confirmation and wait until it is gone. */
export const handler: Handler = async (ctx) => {
  const { out } = ctx;
  const stack = await stackToDelete(ctx);
  await out.confirm(`Delete stack ${ctx.stackName} (${stack.StackStatus}) and all its resources?`, "delete the stack");
  await deleteStack({ ...ctx, emit: (e) => e.type === "stack-event" && out.info(formatStackEvent(out, e.event)) }, stack);
  out.result(`Deleted stack ${ctx.stackName}.`);
  return 0;
};
