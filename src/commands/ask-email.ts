import { type LoadedTemplate, validateEmail } from "../core/stack/template.js";
import { suggestCommand } from "../core/suggest.js";
import { ApprovalsError, UsageError } from "../errors.js";
import { safeText } from "../lib/safe-text.js";
import type { CommandContext } from "./context.js";

/**
 * A new stack needs the Email parameter: at a terminal, ask for it (checked against the template's
 * AllowedPattern as it is typed); elsewhere, say `--email` is required before anything else.
 */
export async function askEmail(ctx: CommandContext, template: LoadedTemplate): Promise<string> {
  const { out, stackName } = ctx;
  if (!out.interactive) {
    throw new UsageError(
      `Stack ${stackName} does not exist yet: --email is required to create it.`,
      `Example: ${suggestCommand(ctx, ["deploy", "--email", "ops@example.com"])}`,
    );
  }
  const { input } = await import("../output/prompts.js");
  const check = (value: string): string | true => {
    try {
      validateEmail(template, value.trim());
      return true;
    } catch (error) {
      // The same sentence --email gets, without the flag: the person typed it here. The prompt writes
      // it to the terminal itself, and it quotes the template's ConstraintDescription: neutralised.
      return safeText(error instanceof ApprovalsError ? error.message.replace(/^--email /, "") : String(error));
    }
  };
  const email = await out.prompt((context) =>
    input({ message: `Stack ${stackName} is new. Email address that receives the approval requests:`, validate: check }, context),
  );
  return email.trim();
}
