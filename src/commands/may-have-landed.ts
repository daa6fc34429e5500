import { ApprovalsError } from "../errors.js";
import type { Output } from "../output/output.js";

/** The fields of an answer's `--json` document that say what became of it. */
export interface Landing {
  replyLost: boolean;
  mayHaveLanded?: true;
}

/**
 * For the `.catch` of a sent answer: with `--json`, one whose reply was lost and whose landing the
 * history could not tell still prints its document, saying `mayHaveLanded: true`, so that a script
 * knows not to send it again blindly; the error then goes to stderr as always (exit 1).
 */
export function reportMayHaveLanded(out: Output, document: (landing: Landing) => void): (error: unknown) => never {
  return (error) => {
    if (out.json && error instanceof ApprovalsError && error.mayHaveLanded) document({ replyLost: false, mayHaveLanded: true });
    throw error;
  };
}
