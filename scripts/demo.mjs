// `npm run demo`: the main job on a local emulator. Starts moto and the loopback approval pages,
// drives the built CLI through deploy → start → pending → approve → show, then decides a second
// execution the email's way (open the link, press Approve on the page), printing each step's real
// output, then stops.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startApprovalApi } from "./approval-api.mjs";
import { emulatorEnv, startEmulator } from "./emulator.mjs";

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "bin", "approvals.js");
const work = mkdtempSync(join(tmpdir(), "approvals-demo-"));
const input = join(work, "request.json");
writeFileSync(input, `${JSON.stringify({ Comment: "Testing the human approval tutorial." }, null, 2)}\n`);

/** The title (and with `more`, the first paragraph) of an approval page, as a reader sees them. */
function gist(html, more = true) {
  const text = (tag) => (html.match(new RegExp(`<${tag}>(.*?)</${tag}>`))?.[1] ?? "").replace(/<[^>]+>/g, "").replace(/&#39;/g, "'");
  return [text("h1"), more ? text("p") : ""].filter(Boolean).join(": ");
}

/** Open `link` as a browser does, then press `button` on the page's form. */
async function decideOnPage(link, button) {
  const opened = await fetch(link);
  const html = await opened.text();
  process.stdout.write(`GET  (the link)  → ${opened.status} ${gist(html, false)}\n`);
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      m[2].replace(/&#(\d+);/g, (_s, c) => String.fromCharCode(c)),
    ]),
  );
  const answer = await fetch(link.slice(0, link.indexOf("?")), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, action: button.toLowerCase() }).toString(),
  });
  process.stdout.write(`POST (${button})   → ${answer.status} ${gist(await answer.text())}\n`);
  return answer.ok;
}

let emulator;
let api;
try {
  process.stderr.write("Starting the local AWS emulator (moto)…\n");
  emulator = await startEmulator();
  api = await startApprovalApi({ endpoint: emulator.endpoint });
  process.stderr.write(`Emulator up at ${emulator.endpoint}, approval pages at ${api.url}\n`);
  const env = { ...process.env, ...emulatorEnv(emulator.endpoint), APPROVALS_API_ENDPOINT: api.url, HOME: work, APPROVALS_POLL_MS: "250" };
  const approvals = (args, options = {}) => {
    process.stdout.write(`\n$ approvals ${args.map((a) => (a === input ? "request.json" : a)).join(" ")}\n`);
    const run = spawnSync(process.execPath, [BIN, ...args], {
      env,
      stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit",
      encoding: "utf8",
    });
    if (options.capture) process.stdout.write(run.stdout);
    if (run.status !== 0) throw new Error(`approvals ${args[0]} exited with ${run.status}`);
    return run.stdout;
  };
  for (const args of [
    ["deploy", "--email", "approver@example.com", "--yes"],
    ["start", "--input", input, "--name", "ApprovalTest"],
    ["pending"],
    ["approve", "ApprovalTest", "--yes"],
    ["show", "ApprovalTest"],
    ["start", "--input", input, "--name", "ByEmailLink"],
  ]) {
    approvals(args);
  }
  const listed = approvals(["pending", "--links"], { capture: true });
  const link = listed.match(/^ {2}approve (\S+)$/m)?.[1];
  if (!link) throw new Error("pending --links printed no approve link");
  process.stdout.write("\n# Open the Approve link (a mail scanner's GET decides nothing), then press Approve on the page:\n");
  if (!(await decideOnPage(link, "Approve"))) throw new Error("the approval page did not accept the decision");
  approvals(["show", "ByEmailLink"]);
  process.stdout.write("\nDone: both executions were approved and reached ApprovedPassState.\n");
} catch (error) {
  process.stderr.write(`\nThe demo stopped: ${error.message}\n`);
  process.exitCode = 1;
} finally {
  await api?.stop();
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
}
