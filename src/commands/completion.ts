import { completionScript, SHELLS, type Shell } from "../completion/scripts.js";
import { UsageError } from "../errors.js";
import type { Handler } from "./context.js";

/** `approvals completion <shell>`: print the shell's completion script. */
export const handler: Handler<[string]> = async (ctx, [shell]) => {
  if (!SHELLS.includes(shell as Shell)) {
    throw new UsageError(`No completion for shell ${JSON.stringify(shell)}.`, `Choose one of: ${SHELLS.join(", ")}.`);
  }
  ctx.out.document(completionScript(shell as Shell));
  return 0;
};
