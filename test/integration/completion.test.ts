import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, cliEnv, runCli, uniqueStackName } from "../support/cli.js";
import { eventually } from "../support/eventually.js";
import { commandRuns, skipWithout } from "../support/tools.js";

// The scripts are tried the way a shell runs them: bash sources the script, sets COMP_WORDS and
// COMP_CWORD as readline would, and calls the completion function; `approvals` on PATH is the built CLI.

const stack = uniqueStackName("compl");
let env: Record<string, string | undefined>;
let bashScript: string;
let zshScript: string;
let fishScript: string;
// Without zsh or fish their tests skip on a developer's machine and fail under CI.
const hasZsh = !skipWithout("zsh", commandRuns("zsh", ["-c", "exit 0"]), "apt-get install zsh");
const hasFish = !skipWithout("fish", commandRuns("fish", ["-c", "exit 0"]), "apt-get install fish");

/** PATH with the built CLI as `approvals`, and the Node running the tests first. */
function pathWithCli(): string {
  const dir = mkdtempSync(join(tmpdir(), "approvals-bin-"));
  symlinkSync(BIN, join(dir, "approvals"));
  return [dir, dirname(process.execPath), process.env.PATH].join(delimiter);
}

/** What bash's completion offers for `approvals <words>`, the last word being under the cursor. */
function bashComplete(words: string[], cwd?: string): string[] {
  const quoted = ["approvals", ...words].map((w) => `'${w}'`).join(" ");
  const program = `${bashScript}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length}; _approvals_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", program], { env: env as NodeJS.ProcessEnv, cwd, encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter(Boolean);
}

/** The line zsh shows after typing `line` and pressing Tab once, in a real interactive zsh (zpty). */
function zshComplete(line: string): string {
  const dir = mkdtempSync(join(tmpdir(), "approvals-zsh-"));
  const script = join(dir, "_approvals");
  const out = join(dir, "buffer");
  writeFileSync(script, zshScript);
  // A key bound to a widget writes the edited line to a file, after the completion typed before it.
  const driver = [
    "zmodload zsh/zpty",
    "zpty z zsh -f -i",
    `zpty -w z 'autoload -Uz compinit; compinit -u -D; source ${script}; dump() { print -r -- "$BUFFER" > ${out} }; zle -N dump; bindkey "^T" dump'`,
    `zpty -w -n z "$1"$'\t\x14'`,
    `for i in {1..300}; do [[ -s ${out} ]] && break; sleep 0.1; done`,
    "zpty -d z",
  ].join("\n");
  spawnSync("zsh", ["-f", "-c", driver, "zsh", line], { env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 });
  return readFileSync(out, "utf8").replace(/\n$/, "");
}

/** What fish offers for `line` (`complete -C`), values only. */
function fishComplete(line: string): string[] {
  const program = `${fishScript}\ncomplete -C ${JSON.stringify(line)}`;
  const result = spawnSync("fish", ["--no-config", "-c", program], { env: env as NodeJS.ProcessEnv, encoding: "utf8" });
  expect(result.stderr).toBe("");
  return result.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t")[0] ?? "");
}

/** This stack's file of names in the store (one file per endpoint, region, profile and stack). */
function cacheFile(): string {
  const dir = join(env.HOME as string, ".cache", "approvals");
  const ours = readdirSync(dir).find((f) => {
    if (!f.startsWith("names-")) return false;
    try {
      return JSON.parse(JSON.parse(readFileSync(join(dir, f), "utf8")).scope).at(-1) === stack;
    } catch {
      return false;
    }
  });
  if (!ours) throw new Error(`no completion cache for ${stack} in ${dir}`);
  return join(dir, ours);
}
const run = (args: string[], input?: string) => runCli([...args, "--stack-name", stack], { env, input });

beforeAll(async () => {
  env = cliEnv();
  env.PATH = pathWithCli();
  const script = async (shell: string) => (await runCli(["completion", shell], { env })).stdout;
  [bashScript, zshScript, fishScript] = await Promise.all([script("bash"), script("zsh"), script("fish")]);
});

describe("approvals completion", () => {
  it("prints a script for bash, zsh and fish, and refuses other shells", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const result = await runCli(["completion", shell], { env });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("approvals __complete");
    }
    const other = await runCli(["completion", "tcsh"], { env });
    expect(other.code).toBe(2);
    expect(other.stdout).toBe("");
  });

  for (const shell of ["zsh", "fish"]) {
    const present = shell === "zsh" ? hasZsh : hasFish;
    it.skipIf(!present)(`${shell} -n parses the ${shell} script${present ? "" : ` (skipped: ${shell} is not installed)`}`, async () => {
      const file = join(mkdtempSync(join(tmpdir(), "approvals-compl-")), `approvals.${shell}`);
      writeFileSync(file, (await runCli(["completion", shell], { env })).stdout);
      const parsed = spawnSync(shell, ["-n", file], { encoding: "utf8" });
      expect(parsed.stderr).toBe("");
      expect(parsed.status).toBe(0);
    });
  }
});

describe("bash completion", () => {
  it("completes commands and options from the program itself", () => {
    expect(bashComplete([""])).toContain("deploy");
    expect(bashComplete(["de"])).toEqual(["deploy", "decide", "destroy"]);
    expect(bashComplete(["pending", "--li"])).toEqual(["--links"]);
    expect(bashComplete(["approve", "--y"])).toEqual(["--yes"]);
    expect(bashComplete(["re"])).toEqual(["reject", "remind"]);
    expect(bashComplete(["remind", "--ol"])).toEqual(["--older-than"]);
    // An option already given is not offered again.
    expect(bashComplete(["deploy", "--yes", "--y"])).toEqual([]);
    expect(bashComplete(["completion", ""])).toEqual(["bash", "zsh", "fish"]);
  });

  it("completes file names for --input and --template", () => {
    const dir = mkdtempSync(join(tmpdir(), "approvals-files-"));
    writeFileSync(join(dir, "request.json"), "{}");
    writeFileSync(join(dir, "other.txt"), "");
    expect(bashComplete(["start", "--input", "re"], dir)).toEqual(["request.json"]);
  });

  it("completes profile names for --profile", () => {
    const config = join(mkdtempSync(join(tmpdir(), "approvals-aws-")), "config");
    writeFileSync(
      config,
      "[profile prod]\nregion = eu-west-1\n[profile staging]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n",
    );
    const saved = env.AWS_CONFIG_FILE;
    env.AWS_CONFIG_FILE = config;
    try {
      expect(bashComplete(["pending", "--profile", ""])).toEqual(["prod", "staging"]);
    } finally {
      env.AWS_CONFIG_FILE = saved;
    }
  });
});

describe.skipIf(!hasZsh)(`zsh completion${hasZsh ? "" : " (skipped: zsh is not installed)"}`, () => {
  it("completes commands and options in an interactive zsh", () => {
    expect(zshComplete("approvals dep")).toBe("approvals deploy ");
    expect(zshComplete("approvals pending --li")).toBe("approvals pending --links ");
    expect(zshComplete("approvals outputs --stack")).toBe("approvals outputs --stack-name ");
  });
});

describe.skipIf(!hasFish)(`fish completion${hasFish ? "" : " (skipped: fish is not installed)"}`, () => {
  it("completes commands, options and files", () => {
    expect(fishComplete("approvals de")).toEqual(["decide", "deploy", "destroy"]);
    expect(fishComplete("approvals pending --li")).toEqual(["--links"]);
    const dir = mkdtempSync(join(tmpdir(), "approvals-files-"));
    writeFileSync(join(dir, "request.json"), "{}");
    expect(fishComplete(`approvals start --input ${dir}/re`)).toEqual([`${dir}/request.json`]);
  });
});

describe("execution names", () => {
  beforeAll(async () => {
    const deployed = await run(["deploy", "--email", "ops@example.com", "--yes"]);
    expect(deployed.code, deployed.stderr).toBe(0);
    for (const name of ["build-17", "build-18"]) {
      expect((await run(["start", "--input", "-", "--name", name], '{"Comment":"ship it"}')).code).toBe(0);
    }
  });

  it("come from the cache `pending` writes: 0600 in a 0700 folder, names only", async () => {
    expect((await run(["pending"])).code).toBe(0);
    expect(statSync(cacheFile()).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(cacheFile())).mode & 0o777).toBe(0o700);
    expect(readFileSync(cacheFile(), "utf8")).not.toMatch(/token/i);

    const words = ["approve", "--stack-name", stack];
    expect(bashComplete([...words, ""]).sort()).toEqual(["build-17", "build-18"]);
    expect(bashComplete([...words, "build-17", ""])).toEqual(["build-18"]);
    expect(bashComplete(["show", "--stack-name", stack, "build-1"]).sort()).toEqual(["build-17", "build-18"]);
    // `show` takes one execution: nothing more after it.
    expect(bashComplete(["show", "--stack-name", stack, "build-17", ""])).toEqual([]);
    // Another stack has its own names.
    expect(bashComplete(["approve", "--stack-name", `${stack}-other`, ""])).toEqual([]);
  });

  it("are offered as stack/name, from that stack's names, to approve and to show", async () => {
    expect((await run(["pending"])).code).toBe(0);
    // No --stack-name: the stack is the typed word's, as `approve` and `show` read it.
    expect(bashComplete(["approve", `${stack}/build-1`]).sort()).toEqual([`${stack}/build-17`, `${stack}/build-18`]);
    expect(bashComplete(["show", `${stack}/`]).sort()).toEqual([`${stack}/build-17`, `${stack}/build-18`]);
    expect(bashComplete(["reject", `${stack}/build-17`, `${stack}/b`])).toEqual([`${stack}/build-18`]);
    expect(bashComplete(["approve", `${stack}-other/`])).toEqual([]);
  });

  it.skipIf(!hasZsh)("come from the same cache in zsh", () => {
    expect(zshComplete(`approvals approve --stack-name ${stack} build-17 build-1`)).toBe(
      `approvals approve --stack-name ${stack} build-17 build-18 `,
    );
  });

  it.skipIf(!hasFish)("come from the same cache in fish", () => {
    expect(fishComplete(`approvals reject --stack-name ${stack} build-`).sort()).toEqual(["build-17", "build-18"]);
  });

  it("leave out a name that begins with -, which Enter would run as an option", async () => {
    // Step Functions allows these names; inserted after `approvals approve`, each is an option.
    for (const name of ["--yes", `--stack-name=${stack}-other`]) {
      expect((await run(["start", "--input", "-", "--name", name], "{}")).code).toBe(0);
    }
    expect((await run(["pending"])).code).toBe(0);
    expect(bashComplete(["approve", "--stack-name", stack, ""]).sort()).toEqual(["build-17", "build-18"]);
    expect(bashComplete(["show", "--stack-name", stack, ""]).sort()).toEqual(["build-17", "build-18"]);
  });

  it.skipIf(!hasFish)("leave out a name that begins with - in fish too", () => {
    expect(fishComplete(`approvals approve --stack-name ${stack} `).sort()).toEqual(["build-17", "build-18"]);
  });

  it("offer a name that begins with - after --, where every word is a name", async () => {
    const words = ["approve", "--stack-name", stack];
    expect(bashComplete([...words, "--", ""]).sort()).toEqual([`--stack-name=${stack}-other`, "--yes", "build-17", "build-18"].sort());
    for (const name of ["--yes", `--stack-name=${stack}-other`]) {
      expect((await runCli(["reject", "--yes", "--stack-name", stack, "--", name], { env })).code).toBe(0);
    }
  });

  it("are refreshed in the background when older than a minute, without waiting for AWS", async () => {
    expect((await run(["start", "--input", "-", "--name", "build-19"], "{}")).code).toBe(0);
    expect((await run(["pending"])).code).toBe(0);
    expect((await run(["approve", "build-17", "--yes"])).code).toBe(0);
    // Age the cache by two minutes.
    const file = cacheFile();
    const cache = JSON.parse(readFileSync(file, "utf8"));
    cache.entries.names.writtenAt -= 120_000;
    writeFileSync(file, JSON.stringify(cache));

    // This Tab answers from the old names at once, and starts the refresh.
    const words = ["approve", "--stack-name", stack, ""];
    expect(bashComplete(words).sort()).toEqual(["build-17", "build-18", "build-19"]);
    // The background refresh rewrites the names: wait for it (bounded), then Tab again.
    const aged = cache.entries.names.writtenAt;
    await eventually(() => JSON.parse(readFileSync(file, "utf8")).entries?.names?.writtenAt > aged, {
      deadline: 60_000,
      what: "the background refresh to rewrite the names",
    });
    expect(bashComplete(words).sort()).toEqual(["build-18", "build-19"]);
  }, 120_000);

  it("survive a corrupt cache: nothing offered, nothing printed, the cache rewritten by the next pending", async () => {
    writeFileSync(cacheFile(), "{not json");
    expect(bashComplete(["approve", "--stack-name", stack, "zzz"])).toEqual([]);
    expect((await run(["pending"])).code).toBe(0);
    expect(bashComplete(["approve", "--stack-name", stack, ""]).sort()).toEqual(["build-18", "build-19"]);
  });
  it("offer no name from the store that the commands would not take as that stack's execution", () => {
    // A file written by hand, another tool or an older version, for a stack of its own (no refresh
    // of another test rewrites it): names Step Functions never gives. `other-stack/build-18` would
    // decide another stack's execution, an ARN any state machine's.
    // (Quotes, spaces and `$` are offered, quoted by the script: see the terminal tests.)
    const planted = `${stack}-planted`;
    const ours = JSON.parse(readFileSync(cacheFile(), "utf8"));
    const scope = JSON.stringify([...JSON.parse(ours.scope).slice(0, -1), planted]);
    const file = join(dirname(cacheFile()), `names-${createHash("sha256").update(scope).digest("hex").slice(0, 20)}.json`);
    const names = ["other-stack/build-18", "arn:aws:states:us-east-1:123456789012:execution:sm:build-18", "../build-18"];
    const entries = { names: { names: [...names, "build-18"], writtenAt: Date.now() }, finished: { names, writtenAt: Date.now() } };
    writeFileSync(file, JSON.stringify({ version: ours.version, scope, entries }), { mode: 0o600 });
    expect(bashComplete(["approve", "--stack-name", planted, ""])).toEqual(["build-18"]);
    expect(bashComplete(["show", "--stack-name", planted, ""])).toEqual(["build-18"]);
    expect(bashComplete(["approve", `${planted}/`])).toEqual([`${planted}/build-18`]);
  });
});
