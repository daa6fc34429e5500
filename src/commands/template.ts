import { readFile } from "node:fs/promises";
import { bundledTemplatePath } from "../core/stack/template.js";
import type { HandlerOf } from "./define.js";
import type { template } from "./template.spec.js";

/** `approvals template`: print the bundled template. */
export const handler: HandlerOf<typeof template> = async (ctx) => {
  ctx.out.document(await readFile(bundledTemplatePath(), "utf8"));
  return 0;
};
