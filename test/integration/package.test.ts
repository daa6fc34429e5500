import { type SpawnSyncOptions, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { DescribeStacksCommand } from "@aws-sdk/client-cloudformation";
import { beforeAll, describe, expect, it } from "vitest";
import { cliEnv, sdk, uniqueStackName } from "../support/cli.js";

// The package as a user gets it: packed, installed with `npm install -g --omit=dev` into an empty
// prefix (and through `npx`), then run from its installed `bin`. The registry is reached through
// npm's cache when it can (--prefer-offline).

const ROOT = resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const NPM_FLAGS = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/** npm and the installed CLI run on the Node running the tests (CI runs the suite on two versions). */
const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    timeout: 180_000,
    ...options,
    env: { ...process.env, PATH, ...options.env },
  });
  return { code: result.status, stdout: String(result.stdout ?? ""), stderr: String(result.stderr ?? "") };
}

/** Package names the bundle leaves to node_modules: the external imports esbuild recorded (Node's built-ins left out). */
function importedPackages(metafile: string): string[] {
  const { outputs } = JSON.parse(readFileSync(metafile, "utf8")) as {
    outputs: Record<string, { imports?: { path: string; external?: boolean }[] }>;
  };
  const packages = new Set<string>();
  for (const output of Object.values(outputs)) {
    for (const { path, external } of output.imports ?? []) {
      if (!external || path.startsWith("node:") || builtinModules.includes(path.split("/")[0] ?? "")) continue;
      packages.add(
        path
          .split("/")
          .slice(0, path.startsWith("@") ? 2 : 1)
          .join("/"),
      );
    }
  }
  return [...packages].sort();
}

describe("the npm package", () => {
  let tarball: string;
  let files: string[];
  let prefix: string;
  let bin: string;

  beforeAll(() => {
    const out = mkdtempSync(join(tmpdir(), "approvals-pack-"));
    // --ignore-scripts: `prepack` rebuilds dist/ from scratch, which would pull chunks from under the
    // test files running alongside; the test command has just built it.
    const packed = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out, ...NPM_FLAGS], { cwd: ROOT });
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    tarball = join(out, info?.filename ?? "");
    files = info?.files.map((f) => f.path) ?? [];

    prefix = join(out, "global");
    mkdirSync(prefix);
    // --engine-strict: every runtime dependency must accept this Node, not merely warn.
    const installed = run("npm", ["install", "-g", "--prefix", prefix, "--omit=dev", "--engine-strict", ...NPM_FLAGS, tarball], {
      cwd: out,
    });
    expect(installed.code, installed.stderr).toBe(0);
    bin = join(prefix, "bin", "approvals");
  }, 240_000);

  it("ships the CLI, its bundle, the template and README: no sources, tests or source maps", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "bin/approvals.js",
        "dist/cli.js",
        "dist/THIRD-PARTY-LICENSES.txt",
        "templates/human-approval.yaml",
      ]),
    );
    const shipped =
      /^(package\.json|README\.md|LICENSE|bin\/approvals\.js|dist\/[\w-]+\.js|dist\/THIRD-PARTY-LICENSES\.txt|templates\/human-approval\.yaml)$/;
    expect(files.filter((f) => !shipped.test(f))).toEqual([]);
    // The libraries are bundled into dist/: their licences go with them.
    const licences = readFileSync(join(ROOT, "dist/THIRD-PARTY-LICENSES.txt"), "utf8");
    for (const name of ["@aws-sdk/client-sfn", "@smithy/core", "commander", "chalk", "ora", "@inquirer/confirm", "yaml"]) {
      expect(licences).toMatch(new RegExp(`^${name}@\\d`, "m"));
    }
    expect(licences).toContain("Apache License");
  });

  it("is sfn-approvals (the name approvals is taken on the registry) and installs the command approvals", () => {
    expect(pkg.name).toBe("sfn-approvals");
    expect(basename(tarball)).toBe(`sfn-approvals-${pkg.version}.tgz`);
    const installed = join(prefix, "lib", "node_modules", "sfn-approvals");
    expect(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).name).toBe("sfn-approvals");
    expect(existsSync(bin)).toBe(true);
    expect(existsSync(join(prefix, "bin", "sfn-approvals"))).toBe(false);
  });

  it("carries its licence and where it lives: LICENSE matches license, one repository for all links", () => {
    expect(pkg.license).toBe("MIT");
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the approvals authors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
    const repo = "https://github.com/sfn-approvals/sfn-approvals";
    expect(pkg.repository).toEqual({ type: "git", url: `git+${repo}.git` });
    expect(pkg.bugs).toEqual({ url: `${repo}/issues` });
    expect(pkg.homepage).toBe(`${repo}#readme`);
  });

  it("declares the bin, the engines, and no runtime dependency, since the bundle imports none", () => {
    expect(pkg.bin).toEqual({ approvals: "bin/approvals.js" });
    expect(readFileSync(join(ROOT, "bin/approvals.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(pkg.engines.node).toBe(">=20");
    // Every library is bundled into dist/ (see tsup.config.ts): the bundle imports no package, so it declares none.
    expect(importedPackages(join(ROOT, "dist/metafile-esm.json"))).toEqual([]);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });

  it("README renders as the npm page: a title, and relative links only to files of the repository", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(/^# approvals\n/);
    // npm resolves relative links against `repository`, where the reference pages live in docs/
    // (test/unit/docs-links.test.ts checks every link and anchor of every page).
    const relative = [...readme.matchAll(/!?\[[^\]]*\]\(([^)#\s]+)[^)]*\)/g)]
      .map((m) => m[1] ?? "")
      .filter((url) => !/^[a-z]+:/i.test(url));
    for (const url of relative) expect(existsSync(join(ROOT, url)), url).toBe(true);
    // The install section names this package and the tarball `npm pack` writes for this version.
    expect(readme).toContain(`npm install -g ${pkg.name} `);
    expect(readme).toContain(`npm install -g ./${basename(tarball)} `);
    expect(readme).toContain(`npx ./${basename(tarball)} --help`);
  });

  it("installs with --omit=dev into an empty prefix with a complete dependency tree", () => {
    const listed = run("npm", ["ls", "-g", "--prefix", prefix, "--omit=dev", "--all"]);
    expect(listed.code, listed.stdout + listed.stderr).toBe(0);
  });

  it("runs from its installed bin: --version and template, with nothing on stderr", () => {
    const version = run(bin, ["--version"]);
    expect(version).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
    const template = run(bin, ["template"]);
    expect(template.code).toBe(0);
    expect(template.stderr).toBe("");
    expect(template.stdout).toBe(readFileSync(join(ROOT, "templates/human-approval.yaml"), "utf8"));
  });

  it("deploys and confirms outputs against the emulator, printing no runtime warning", async () => {
    const stack = uniqueStackName("pkg");
    const env = { ...cliEnv(), PATH };
    const deployed = run(bin, ["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack], { env });
    expect(deployed.code, deployed.stderr).toBe(0);
    const outputs = run(bin, ["outputs", "--json", "--stack-name", stack], { env });
    expect(outputs.code, outputs.stderr).toBe(0);
    expect(outputs.stderr).not.toMatch(/warning/i);
    expect(JSON.parse(outputs.stdout).outputs.StateMachineHumanApprovalArn).toMatch(/^arn:aws:states:/);
    const { Stacks } = await sdk().cfn.send(new DescribeStacksCommand({ StackName: stack }));
    expect(Stacks?.[0]?.StackStatus).toBe("CREATE_COMPLETE");
  });

  it("runs with npx from the tarball, naming the command or (as README does) only the tarball", () => {
    const cwd = mkdtempSync(join(tmpdir(), "approvals-npx-"));
    const result = run("npm", ["exec", "--yes", ...NPM_FLAGS, "--package", tarball, "--", "approvals", "--version"], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${pkg.version}\n`);
    copyFileSync(tarball, join(cwd, basename(tarball)));
    const bare = run("npx", ["--yes", ...NPM_FLAGS, `./${basename(tarball)}`, "--version"], { cwd });
    expect(bare.code, bare.stderr).toBe(0);
    expect(bare.stdout).toBe(`${pkg.version}\n`);
  });
});
