// The template's inline Lambda code, run on Node against the emulator: see scripts/lambda-host.mjs,
// shared with the loopback approval API of `npm run sandbox`.

export { proxyEvent, startApprovalApi } from "../../scripts/approval-api.mjs";
export {
  functionArn,
  type InstalledFunction,
  type Invocation,
  inlineCode,
  installFunction,
  stackVariables,
  substitute,
  TEMPLATE,
} from "../../scripts/lambda-host.mjs";
