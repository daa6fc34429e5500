import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPILE_CACHE_MAX_AGE_MS, compileCacheDir, loadChunks, saveCompiled } from "../../src/load.js";

const v8 = `v8-${process.versions.v8}-${process.arch}`;

describe("compileCacheDir", () => {
  it("is approvals-compile/<V8 version> under XDG_CACHE_HOME, else under ~/.cache", () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: "/x/cache", HOME: "/home/u" }, [])).toBe(`/x/cache/approvals-compile/${v8}`);
    expect(compileCacheDir({ HOME: "/home/u" }, [])).toBe(`/home/u/.cache/approvals-compile/${v8}`);
    expect(compileCacheDir({ XDG_CACHE_HOME: "relative", HOME: "/home/u" }, [])).toBe(`/home/u/.cache/approvals-compile/${v8}`);
  });

  it("follows NODE_COMPILE_CACHE, relative to the working folder", () => {
    expect(compileCacheDir({ NODE_COMPILE_CACHE: "/c", HOME: "/home/u" }, [])).toBe(`/c/approvals/${v8}`);
    expect(compileCacheDir({ NODE_COMPILE_CACHE: "c" }, [])).toBe(join(process.cwd(), "c", "approvals", v8));
  });

  it("is none with --no-cache, NODE_DISABLE_COMPILE_CACHE, or neither HOME nor XDG_CACHE_HOME", () => {
    expect(compileCacheDir({ HOME: "/home/u" }, ["node", "approvals", "pending", "--no-cache"])).toBeUndefined();
    expect(compileCacheDir({ HOME: "/home/u", NODE_COMPILE_CACHE: "/c", NODE_DISABLE_COMPILE_CACHE: "1" }, [])).toBeUndefined();
    expect(compileCacheDir({}, [])).toBeUndefined();
  });
});

/** A folder of CommonJS chunks as the build writes them. */
function chunks(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "approvals-chunks-"));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

describe("loadChunks", () => {
  it("runs the entry and the chunks it requires once each, with Node's built-ins and its own URL", () => {
    const dir = chunks({
      "cli.js": `const a = require("./a.js"); const again = require("./a.js");
exports.result = { value: a.value, same: a === again, sep: require("node:path").sep, url: __importMetaUrl, file: __filename };`,
      "a.js": "globalThis.__loadCount = (globalThis.__loadCount ?? 0) + 1; module.exports = { value: 42 };",
    });
    const { exports } = loadChunks(join(dir, "cli.js"), undefined);
    expect((exports as { result: unknown }).result).toEqual({
      value: 42,
      same: true,
      sep: "/",
      url: `file://${join(dir, "cli.js")}`,
      file: join(dir, "cli.js"),
    });
    expect((globalThis as { __loadCount?: number }).__loadCount).toBe(1);
  });

  it("keeps the compiled code in the folder and uses it on the next load", () => {
    const dir = chunks({ "cli.js": `exports.value = require("./a.js").value + 1;`, "a.js": "exports.value = 1;" });
    const cache = join(mkdtempSync(join(tmpdir(), "approvals-compile-")), "v8");
    const first = loadChunks(join(dir, "cli.js"), cache);
    expect(first.stats).toEqual({ cached: 0, compiled: 2 });
    first.save();
    expect(readdirSync(cache).filter((f) => f.endsWith(".bin"))).toHaveLength(2);
    expect((statSync(cache).mode & 0o777).toString(8)).toBe("700");
    const second = loadChunks(join(dir, "cli.js"), cache);
    expect(second.stats).toEqual({ cached: 2, compiled: 0 });
    expect((second.exports as { value: number }).value).toBe(2);
  });

  it("does not run the compiled code of a chunk whose source changed, even to one of the same length", () => {
    const dir = chunks({ "cli.js": "exports.value = 1;" });
    const cache = join(mkdtempSync(join(tmpdir(), "approvals-compile-")), "v8");
    loadChunks(join(dir, "cli.js"), cache).save();
    writeFileSync(join(dir, "cli.js"), "exports.value = 2;");
    const changed = loadChunks(join(dir, "cli.js"), cache);
    expect((changed.exports as { value: number }).value).toBe(2);
    expect(changed.stats).toEqual({ cached: 0, compiled: 1 });
  });

  it("neither reads nor writes a folder that others can write", () => {
    const dir = chunks({ "cli.js": "exports.value = 1;" });
    const cache = mkdtempSync(join(tmpdir(), "approvals-compile-"));
    loadChunks(join(dir, "cli.js"), cache).save();
    chmodSync(cache, 0o777);
    const files = readdirSync(cache);
    const run = loadChunks(join(dir, "cli.js"), cache);
    expect(run.stats).toEqual({ cached: 0, compiled: 1 });
    writeFileSync(join(dir, "cli.js"), "exports.value = 3;");
    loadChunks(join(dir, "cli.js"), cache).save();
    expect(readdirSync(cache)).toEqual(files);
  });

  it("runs without a cache where the folder cannot be made", () => {
    const dir = chunks({ "cli.js": "exports.value = 1;" });
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "");
    const run = loadChunks(join(dir, "cli.js"), join(file, "v8"));
    expect((run.exports as { value: number }).value).toBe(1);
    expect(() => run.save()).not.toThrow();
  });
});

describe("saveCompiled", () => {
  it("deletes cache files not rewritten for 30 days, and only those", () => {
    const dir = chunks({ "cli.js": "exports.value = 1;" });
    const cache = mkdtempSync(join(tmpdir(), "approvals-compile-"));
    mkdirSync(cache, { recursive: true });
    const now = Date.now();
    const old = join(cache, "old.bin");
    const recent = join(cache, "recent.bin");
    writeFileSync(old, "");
    writeFileSync(recent, "");
    utimesSync(old, (now - COMPILE_CACHE_MAX_AGE_MS - 60_000) / 1000, (now - COMPILE_CACHE_MAX_AGE_MS - 60_000) / 1000);
    utimesSync(recent, (now - COMPILE_CACHE_MAX_AGE_MS + 60_000) / 1000, (now - COMPILE_CACHE_MAX_AGE_MS + 60_000) / 1000);
    const run = loadChunks(join(dir, "cli.js"), cache);
    run.save();
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect(readdirSync(cache)).toHaveLength(2);
  });

  it("writes nothing, and deletes nothing, when every chunk came from the cache", () => {
    const cache = mkdtempSync(join(tmpdir(), "approvals-compile-"));
    const old = join(cache, "old.bin");
    writeFileSync(old, "");
    utimesSync(old, 0, 0);
    saveCompiled(cache, []);
    expect(existsSync(old)).toBe(true);
  });
});
