import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_VERSION, openCache } from "../../src/lib/cache.js";
import { cacheDirectory } from "../../src/lib/cache-folder.js";

const mode = (path: string) => lstatSync(path).mode & 0o777;
const freshDir = () => join(mkdtempSync(join(tmpdir(), "approvals-cache-")), "approvals");

interface Entry {
  name: string;
}
const isEntry = (value: unknown): value is Entry => typeof (value as Entry)?.name === "string";

/** Store one entry (open, set, save). */
async function put(scope: string, key: string, value: Entry, directory: string): Promise<void> {
  const cache = await openCache<Entry>("names", scope, { directory });
  cache.set(key, value);
  await cache.save();
}

/** Write a cache file by hand where `openCache` will look, and return its path. */
async function planted(directory: string, text: string, fileMode = 0o600): Promise<string> {
  const { path } = await openCache("names", "scope", { directory });
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode: fileMode });
  chmodSync(path, fileMode);
  return path;
}

describe("cacheDirectory", () => {
  it("is approvals/ under XDG_CACHE_HOME, else under ~/.cache", () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" })).toBe("/x/cache/approvals");
    expect(cacheDirectory({ HOME: "/home/u" })).toBe("/home/u/.cache/approvals");
  });

  it("ignores a relative XDG_CACHE_HOME, as the XDG specification says", () => {
    expect(cacheDirectory({ XDG_CACHE_HOME: "relative", HOME: "/home/u" })).toBe("/home/u/.cache/approvals");
  });
});

describe("openCache", () => {
  it("creates the folder 0700 and writes the file 0600, versioned and scoped", async () => {
    const directory = freshDir();
    const cache = await openCache<Entry>("names", "endpoint arn", { directory });
    cache.set("a", { name: "first" });
    await cache.save();

    expect(mode(directory)).toBe(0o700);
    expect(mode(cache.path)).toBe(0o600);
    expect(JSON.parse(readFileSync(cache.path, "utf8"))).toEqual({
      version: CACHE_VERSION,
      scope: "endpoint arn",
      entries: { a: { name: "first" } },
    });
    expect((await openCache<Entry>("names", "endpoint arn", { directory })).get("a")).toEqual({ name: "first" });
  });

  it("closes a folder others can read before writing into it", async () => {
    const directory = freshDir();
    mkdirSync(directory, { recursive: true });
    chmodSync(directory, 0o755);
    await put("scope", "a", { name: "x" }, directory);
    expect(mode(directory)).toBe(0o700);
  });

  it("keeps each scope in its own file", async () => {
    const directory = freshDir();
    await put("one", "k", { name: "1" }, directory);
    await put("two", "k", { name: "2" }, directory);
    expect((await openCache("names", "one", { directory })).get("k")).toEqual({ name: "1" });
    expect((await openCache("names", "two", { directory })).get("k")).toEqual({ name: "2" });
    expect(readdirSync(directory)).toHaveLength(2);
  });

  it("reads a missing file as empty and writes nothing until something changes", async () => {
    const directory = freshDir();
    const cache = await openCache<Entry>("names", "scope", { directory });
    expect(cache.keys()).toEqual([]);
    await cache.save();
    expect(() => readdirSync(directory)).toThrow();
  });

  it.each([
    ["corrupt JSON", '{"version":1,"scope":"scope","entries":{"a":'],
    ["another version", JSON.stringify({ version: CACHE_VERSION + 1, scope: "scope", entries: { a: { name: "x" } } })],
    ["another scope", JSON.stringify({ version: CACHE_VERSION, scope: "other", entries: { a: { name: "x" } } })],
    ["entries that are not an object", JSON.stringify({ version: CACHE_VERSION, scope: "scope", entries: [{ name: "x" }] })],
    ["not an object at all", "null"],
  ])("treats a file with %s as empty, and replaces it on save", async (_what, text) => {
    const directory = freshDir();
    const path = await planted(directory, text);
    const cache = await openCache<Entry>("names", "scope", { directory });
    expect(cache.keys()).toEqual([]);
    cache.set("b", { name: "new" });
    await cache.save();
    expect(JSON.parse(readFileSync(path, "utf8")).entries).toEqual({ b: { name: "new" } });
    expect(mode(path)).toBe(0o600);
  });

  it("does not trust a file others can read or write", async () => {
    const directory = freshDir();
    await planted(directory, JSON.stringify({ version: CACHE_VERSION, scope: "scope", entries: { a: { name: "x" } } }), 0o644);
    expect((await openCache("names", "scope", { directory })).keys()).toEqual([]);
  });

  it("does not follow a symbolic link planted in place of the file", async () => {
    const directory = freshDir();
    const { path } = await openCache("names", "scope", { directory });
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const elsewhere = join(directory, "..", "elsewhere.json");
    writeFileSync(elsewhere, JSON.stringify({ version: CACHE_VERSION, scope: "scope", entries: { a: { name: "x" } } }), { mode: 0o600 });
    symlinkSync(elsewhere, path);
    const cache = await openCache<Entry>("names", "scope", { directory });
    expect(cache.keys()).toEqual([]);
    cache.set("b", { name: "mine" });
    await cache.save();
    // The link was replaced by a file; the target was left alone.
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(elsewhere, "utf8")).entries).toEqual({ a: { name: "x" } });
  });

  it("drops entries of the wrong shape and keeps the rest", async () => {
    const directory = freshDir();
    await planted(
      directory,
      JSON.stringify({ version: CACHE_VERSION, scope: "scope", entries: { good: { name: "x" }, bad: { name: 3 } } }),
    );
    const cache = await openCache("names", "scope", { directory, validate: isEntry });
    expect(cache.keys()).toEqual(["good"]);
  });

  it("deletes entries, and leaves no temporary file behind", async () => {
    const directory = freshDir();
    const cache = await openCache<Entry>("names", "scope", { directory });
    cache.set("a", { name: "1" });
    cache.set("b", { name: "2" });
    await cache.save();
    cache.delete("a");
    await cache.save();
    expect((await openCache("names", "scope", { directory })).keys()).toEqual(["b"]);
    expect(readdirSync(directory)).toEqual([cache.path.slice(directory.length + 1)]);
  });

  it("leaves a whole file when two writers save at once", async () => {
    const directory = freshDir();
    const writers = await Promise.all(Array.from({ length: 8 }, () => openCache<Entry>("names", "scope", { directory })));
    writers.forEach((cache, i) => {
      cache.set(`k${i}`, { name: String(i) });
    });
    await Promise.all(writers.map((cache) => cache.save()));
    const entries = JSON.parse(readFileSync(writers[0]?.path ?? "", "utf8")).entries;
    expect(Object.keys(entries)).toHaveLength(1);
    expect(readdirSync(directory)).toHaveLength(1);
  });

  it("never fails the command when the folder cannot be written", async () => {
    const parent = mkdtempSync(join(tmpdir(), "approvals-cache-"));
    writeFileSync(join(parent, "approvals"), "a file where the folder should be");
    const cache = await openCache<Entry>("names", "scope", { directory: join(parent, "approvals") });
    cache.set("a", { name: "x" });
    await expect(cache.save()).resolves.toBeUndefined();
  });

  it("refuses a name that is not a plain word", async () => {
    await expect(openCache("../escape", "scope", { directory: freshDir() })).rejects.toThrow(/Invalid cache name/);
  });
});
