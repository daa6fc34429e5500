import { readFile } from "node:fs/promises";
import { bundledTemplatePath } from "../core/stack/template.js";
import type { Handler } from "./context.js";

/** `approvals template`: print the bundled template. */
export const handler: Handler = async (ctx) => {
  ctx.out.document(await readFile(bundledTemplatePath(), "utf8"));
  return 0;
};
