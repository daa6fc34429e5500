// The rule for folders that hold cache files (task tokens, compiled code): every folder up the path
// belongs to the user or root and no one else can write it, unless root owns it with the sticky bit.
// Other owners are made with chown, so these tests need root (as the test machines run).
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCache } from "../../src/lib/cache.js";
import { cacheFolderNotes, folderProblem } from "../../src/lib/cache-folder.js";
import { loadChunks } from "../../src/load.js";

const root = process.getuid?.() === 0;
const NOBODY = 65534;
const USER = 1000;

/** A new folder under a private temporary one, with the given mode and owner. */
function folder(mode: number, owner?: number, parent = mkdtempSync(join(tmpdir(), "approvals-rule-"))): string {
  const dir = join(parent, `f${mode.toString(8)}-${owner ?? "me"}`);
  mkdirSync(dir);
  chmodSync(dir, mode);
  if (owner !== undefined) chownSync(dir, owner, owner);
  return dir;
}

describe.skipIf(!root)(`folderProblem${root ? "" : " (skipped: needs root to chown)"}`, () => {
  it("accepts a path of the user's and root's folders that no one else can write", () => {
    const base = folder(0o755);
    expect(folderProblem(base)).toBeUndefined();
    expect(folderProblem(join(base, "not", "created", "yet"))).toBeUndefined();
  });

  it("refuses a folder, or any above it, that anyone or its group can write without the sticky bit", () => {
    const open = folder(0o777);
    expect(folderProblem(join(open, "cache", "approvals"))).toBe(`${open} can be written by anyone (mode 0777)`);
    const group = folder(0o770);
    expect(folderProblem(group)).toBe(`${group} can be written by its group (mode 0770)`);
    const mine = folder(0o700, undefined, open);
    expect(folderProblem(mine)).toMatch(/can be written by anyone/);
  });

  it("refuses a folder another user owns, even a private one, and a sticky one that is not root's", () => {
    expect(folderProblem(folder(0o700, NOBODY))).toMatch(/belongs to another user \(uid 65534\)$/);
    expect(folderProblem(folder(0o1777, NOBODY))).toMatch(/belongs to another user/);
  });

  it("accepts a root-owned sticky folder like /tmp only with the user's own folder in it", () => {
    const sticky = folder(0o1777);
    expect(folderProblem(folder(0o700, USER, sticky), USER)).toBeUndefined();
    expect(folderProblem(folder(0o700, NOBODY, sticky), USER)).toMatch(/belongs to another user \(uid 65534\)/);
    expect(folderProblem(folder(0o777, USER, sticky), USER)).toMatch(/can be written by anyone/);
    // Another user's own folder: only root may own what the user's path goes through.
    expect(folderProblem(folder(0o700, USER), NOBODY)).toMatch(/belongs to another user \(uid 1000\)/);
  });

  it("follows links: a link in a safe folder to a folder others can write is refused", () => {
    const target = folder(0o777);
    const link = join(folder(0o700), "cache");
    symlinkSync(target, link);
    expect(folderProblem(join(link, "approvals"))).toMatch(/can be written by anyone/);
  });

  it("refuses a path through a file, and checks nothing where there are no owners", () => {
    const file = join(folder(0o700), "file");
    writeFileSync(file, "");
    expect(folderProblem(join(file, "approvals"))).toMatch(/is not a folder$/);
    expect(folderProblem(folder(0o777), null)).toBeUndefined();
  });

  it("cacheFolderNotes says which caches a run does without, and why", () => {
    const open = folder(0o777);
    const notes = cacheFolderNotes({ XDG_CACHE_HOME: join(open, "xdg"), HOME: "/nonexistent" });
    expect(notes).toEqual([
      `cache: not used: ${open} can be written by anyone (mode 0777)`,
      `compiled code: not kept: ${open} can be written by anyone (mode 0777)`,
    ]);
    expect(cacheFolderNotes({ XDG_CACHE_HOME: join(open, "xdg") }, true)).toEqual([]);
    expect(cacheFolderNotes({ XDG_CACHE_HOME: join(folder(0o700), "xdg") })).toEqual([]);
  });

  it("cacheFolderNotes names the tool's own folder when that is the one others can write", () => {
    const xdg = folder(0o700);
    const own = join(xdg, "approvals");
    mkdirSync(own);
    chmodSync(own, 0o777);
    expect(cacheFolderNotes({ XDG_CACHE_HOME: xdg })).toEqual([`cache: not used: ${own} can be written by anyone (mode 0777)`]);
  });
});

describe.skipIf(!root)("the caches keep nothing under a folder others can write", () => {
  it("openCache reads nothing from and writes nothing to it", async () => {
    const open = folder(0o777);
    const directory = join(open, "approvals");
    const cache = await openCache<string>("waiting", "scope", { directory });
    cache.set("a", "token-a");
    await cache.save();
    expect(existsSync(directory)).toBe(false);
    // A file someone placed there is not read.
    mkdirSync(directory, { mode: 0o700 });
    writeFileSync(join(directory, "planted.json"), "{}", { mode: 0o600 });
    expect((await openCache<string>("waiting", "scope", { directory })).keys()).toEqual([]);
    expect(readdirSync(directory)).toEqual(["planted.json"]);
  });

  it("openCache writes nothing when such a folder appears on the path after it was opened", async () => {
    // A shared sticky folder like /tmp: anyone may create a folder in it, before the CLI's own.
    const shared = folder(0o1777);
    const directory = join(shared, "xdg", "approvals");
    const cache = await openCache<string>("waiting", "scope", { directory });
    cache.set("a", "token-a");
    // Another user creates the first folder of the path, open to all, between the open and the save.
    const theirs = join(shared, "xdg");
    mkdirSync(theirs);
    chmodSync(theirs, 0o777);
    chownSync(theirs, NOBODY, NOBODY);
    await cache.save();
    expect(readdirSync(theirs)).toEqual([]);
  });

  it("loadChunks keeps no compiled code in it", () => {
    const chunks = mkdtempSync(join(tmpdir(), "approvals-chunks-"));
    writeFileSync(join(chunks, "cli.js"), "exports.value = 1;");
    const cacheDir = join(folder(0o777, NOBODY), "approvals-compile", "v8");
    const loaded = loadChunks(join(chunks, "cli.js"), cacheDir);
    loaded.save();
    expect(loaded.stats).toEqual({ cached: 0, compiled: 1 });
    expect(existsSync(cacheDir)).toBe(false);
  });
});
