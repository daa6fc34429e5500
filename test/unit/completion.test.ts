import { describe, expect, it } from "vitest";
import { FRESH_MS, needsRefresh, REFRESH_GRACE_MS, scopeOf } from "../../src/completion/cache.js";
import { type CompletionModel, completeWords, optionValue } from "../../src/completion/model.js";

const common = [
  { flags: ["--stack-name"], description: "stack", value: "name" },
  { flags: ["--profile"], description: "profile", value: "name" },
  { flags: ["--yes", "-y"], description: "no questions" },
];
const model: CompletionModel = {
  options: [{ flags: ["--version", "-v"], description: "version" }],
  commands: [
    { name: "start", summary: "Start", options: [{ flags: ["--input"], description: "input", value: "file" }, ...common] },
    { name: "approve", summary: "Approve", options: common, argument: "executions", variadic: true },
    { name: "show", summary: "Show", options: common, argument: "execution" },
    { name: "completion", summary: "Script", options: [], argument: "shell", choices: ["bash", "zsh", "fish"] },
    { name: "help", summary: "Help", options: [], argument: "command" },
  ],
};
const words = (candidates: { value: string }[]) => candidates.map((c) => c.value);

describe("completeWords", () => {
  it("offers commands, then a command's options, dropping those already given", () => {
    const first = completeWords(model, ["s"]);
    expect(first.kind === "words" && words(first.candidates)).toEqual(["start", "show"]);
    const options = completeWords(model, ["approve", "--yes", "--"]);
    expect(options.kind === "words" && words(options.candidates)).toEqual(["--stack-name", "--profile"]);
    const global = completeWords(model, ["--v"]);
    expect(global.kind === "words" && words(global.candidates)).toEqual(["--version"]);
  });

  it("leaves file values to the shell, and completes profile names", () => {
    expect(completeWords(model, ["start", "--input", "req"])).toEqual({ kind: "files" });
    expect(completeWords(model, ["approve", "--profile", "pr"])).toEqual({ kind: "profiles", prefix: "pr" });
    expect(completeWords(model, ["approve", "--stack-name", ""])).toEqual({ kind: "words", candidates: [] });
  });

  it("asks for waiting executions, skipping option values and names already typed", () => {
    expect(completeWords(model, ["approve", "--stack-name", "prod", "a", "b", ""])).toEqual({
      kind: "executions",
      prefix: "",
      exclude: ["a", "b"],
    });
    expect(completeWords(model, ["show", "--stack-name=prod", "bu"])).toEqual({ kind: "executions", prefix: "bu", exclude: [] });
    // `show` takes one execution.
    expect(completeWords(model, ["show", "build-1", ""])).toEqual({ kind: "words", candidates: [] });
  });

  it("offers an argument's choices, and commands after `help`", () => {
    const shells = completeWords(model, ["completion", "z"]);
    expect(shells.kind === "words" && words(shells.candidates)).toEqual(["zsh"]);
    const help = completeWords(model, ["help", "ap"]);
    expect(help.kind === "words" && words(help.candidates)).toEqual(["approve"]);
    expect(completeWords(model, ["nonsense", ""])).toEqual({ kind: "words", candidates: [] });
  });
});

describe("optionValue", () => {
  it("reads --name value and --name=value, the last one winning", () => {
    expect(optionValue(["--stack-name", "a", "--stack-name=b"], "--stack-name")).toBe("b");
    expect(optionValue(["x", "--region", "eu-west-1"], "--region")).toBe("eu-west-1");
    expect(optionValue(["--region"], "--region")).toBeUndefined();
  });
});

describe("the execution-name cache", () => {
  it("scopes names by stack, region, profile and endpoint, from options then the environment", () => {
    const env = { AWS_DEFAULT_REGION: "eu-west-1", AWS_PROFILE: "ops", AWS_ENDPOINT_URL: "http://localhost:5000" };
    expect(scopeOf({}, env)).toEqual({
      stackName: "human-approval",
      region: "eu-west-1",
      profile: "ops",
      endpoint: "http://localhost:5000",
    });
    expect(scopeOf({ stackName: "s", region: "us-east-1", profile: "p", endpointUrl: "http://x" }, env)).toEqual({
      stackName: "s",
      region: "us-east-1",
      profile: "p",
      endpoint: "http://x",
    });
  });

  it("refreshes stale names once: not while fresh, nor while a refresh is under way", () => {
    const now = 1_000_000_000;
    expect(needsRefresh(undefined, now)).toBe(true);
    expect(needsRefresh({ names: [], writtenAt: now - FRESH_MS + 1 }, now)).toBe(false);
    expect(needsRefresh({ names: [], writtenAt: now - FRESH_MS }, now)).toBe(true);
    expect(needsRefresh({ names: [], writtenAt: 0, refreshStartedAt: now - REFRESH_GRACE_MS + 1 }, now)).toBe(false);
    expect(needsRefresh({ names: [], writtenAt: 0, refreshStartedAt: now - REFRESH_GRACE_MS }, now)).toBe(true);
  });
});
