// Every command, in the order of the workflow: its spec (help, arguments, options; in
// `<name>.spec.ts`) and the loader of its handler, whose type defineCommand checks against the spec.
// Only the specs load with the program: a handler loads when its command runs.
import { completion } from "./completion.spec.js";
import { decide } from "./decide.spec.js";
import { defineCommand, type LoadableCommand } from "./define.js";
import { deploy } from "./deploy.spec.js";
import { destroy } from "./destroy.spec.js";
import { list } from "./list.spec.js";
import { outputs } from "./outputs.spec.js";
import { pending } from "./pending.spec.js";
import { remind } from "./remind.spec.js";
import { show } from "./show.spec.js";
import { start } from "./start.spec.js";
import { template } from "./template.spec.js";
import { approve, fail, reject } from "./verdict.spec.js";

export type { LoadableCommand as CommandSpec } from "./define.js";

/** The help line of a command's execution argument. */
export const executionArg = "Execution name or ARN";

/** Every command, in the order of the workflow. */
export const commands: LoadableCommand[] = [
  defineCommand(template, () => import("./template.js")),
  defineCommand(deploy, () => import("./deploy.js")),
  defineCommand(outputs, () => import("./outputs.js")),
  defineCommand(start, () => import("./start.js")),
  defineCommand(pending, () => import("./pending.js")),
  defineCommand(approve, () => import("./approve.js")),
  defineCommand(reject, () => import("./reject.js")),
  defineCommand(fail, () => import("./fail.js")),
  defineCommand(decide, () => import("./decide.js")),
  defineCommand(remind, () => import("./remind.js")),
  defineCommand(show, () => import("./show.js")),
  defineCommand(list, () => import("./list.js")),
  defineCommand(destroy, () => import("./destroy.js")),
  defineCommand(completion, () => import("./completion.js")),
];
