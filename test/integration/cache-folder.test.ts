// XDG_CACHE_HOME under a folder someone else could rename or replace (world-writable without the sticky
// bit, or another user's): `pending` works without any cache, leaves no file there (no task token, no
// compiled code) and says why under --debug. The tests run as root; the other user is made with chown.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, runCli, uniqueStackName } from "../support/cli.js";

const root = process.getuid?.() === 0;
const stack = uniqueStackName("cache-folder");

/** A folder in a new private temporary folder, with this mode and owner. */
function shared(mode: number, owner?: number): string {
  const dir = join(mkdtempSync(join(tmpdir(), "approvals-shared-")), "shared");
  mkdirSync(dir);
  chmodSync(dir, mode);
  if (owner !== undefined) chownSync(dir, owner, owner);
  return dir;
}

/** `pending --debug` with its caches under `dir`; every file the run left there. */
async function pendingUnder(dir: string) {
  // The tests' shared compiled-code folder is not used: the default one under XDG_CACHE_HOME is.
  const env = cliEnv({ XDG_CACHE_HOME: join(dir, "xdg"), NODE_COMPILE_CACHE: undefined });
  const result = await runCli(["pending", "--debug", "--stack-name", stack], { env });
  const left = readdirSync(dir, { recursive: true });
  return { ...result, left };
}

const title = root
  ? "cache folders in a place others can change"
  : "cache folders in a place others can change: SKIPPED, needs root to chown";

describe.skipIf(!root)(title, () => {
  beforeAll(async () => {
    const env = cliEnv();
    const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const started = await runCli(["start", "--input", "-", "--name", "f-waiting", "--stack-name", stack], { env, input: "{}" });
    expect(started.code, started.stderr).toBe(0);
  });

  it("under a folder anyone can write (0777, no sticky bit): no cache file, and --debug says why", async () => {
    const dir = shared(0o777);
    for (let run = 0; run < 2; run++) {
      const { code, stdout, stderr, left } = await pendingUnder(dir);
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^f-waiting\s/m);
      expect(left).toEqual([]);
      expect(stderr).toContain(`[debug] cache: not used: ${dir} can be written by anyone (mode 0777)`);
      expect(stderr).toContain(`[debug] compiled code: not kept: ${dir} can be written by anyone (mode 0777)`);
    }
  });

  it("under a folder another user owns (uid 65534, 0777): no cache file, and --debug says why", async () => {
    const dir = shared(0o777, 65534);
    const { code, stdout, stderr, left } = await pendingUnder(dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^f-waiting\s/m);
    expect(left).toEqual([]);
    expect(stderr).toContain(`[debug] cache: not used: ${dir} belongs to another user (uid 65534)`);
  });

  it("with its own folder open to anyone (xdg/approvals 0777): no cache file there, and --debug names that folder", async () => {
    const dir = shared(0o700);
    const own = join(dir, "xdg", "approvals");
    mkdirSync(own, { recursive: true, mode: 0o700 });
    chmodSync(own, 0o777);
    const { code, stdout, stderr, left } = await pendingUnder(dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^f-waiting\s/m);
    expect(left.filter((f) => String(f).startsWith("xdg/approvals/"))).toEqual([]);
    expect(stderr).toContain(`[debug] cache: not used: ${own} can be written by anyone (mode 0777)`);
    expect(stderr).not.toContain("compiled code: not kept");
  });

  it("control: under a private folder the same run keeps both caches there", async () => {
    const dir = shared(0o700);
    const { code, stderr, left } = await pendingUnder(dir);
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain("not used");
    expect(left).toEqual(expect.arrayContaining(["xdg/approvals", "xdg/approvals-compile"]));
  });
});
