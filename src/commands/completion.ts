import { completionScript, SHELLS, type Shell } from "../completion/scripts.js";
import { UsageError } from "../errors.js";
import type { completion } from "./completion.spec.js";
import type { HandlerOf } from "./define.js";

/** `approvals completion <shell>`: print the shell's completion script. */
export const handler: HandlerOf<typeof completion> = async (ctx, [shell]) => {
  if (!SHELLS.includes(shell as Shell)) {
    throw new UsageError(`No completion for shell ${JSON.stringify(shell)}.`, `Choose one of: ${SHELLS.join(", ")}.`);
  }
  ctx.out.document(completionScript(shell as Shell));
  return 0;
};
