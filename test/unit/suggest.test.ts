import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { operand, placeholder, shellQuote, suggestCommand } from "../../src/core/suggest.js";
import { suggestionLines } from "../../src/output/suggestions.js";

const plain = { stackName: "human-approval", aws: {} };

describe("suggestCommand", () => {
  it("adds nothing for the default stack and no AWS flags", () => {
    expect(suggestCommand(plain, ["approve", "ci-038"])).toBe("approvals approve ci-038");
  });

  it("repeats the stack unless default, then --profile, --region and --endpoint-url as given", () => {
    const scope = { stackName: "load", aws: { profile: "ops", region: "eu-west-1", endpointUrl: "http://127.0.0.1:5000" } };
    expect(suggestCommand(scope, ["show", "ci-038"])).toBe(
      "approvals show ci-038 --stack-name load --profile ops --region eu-west-1 --endpoint-url http://127.0.0.1:5000",
    );
    expect(suggestCommand(scope, ["approve", "other/ci-038"], { stack: false })).toBe(
      "approvals approve other/ci-038 --profile ops --region eu-west-1 --endpoint-url http://127.0.0.1:5000",
    );
  });

  it("puts the operands after `--` when a name begins with -, so that no name is read as an option", () => {
    const scope = { stackName: "load", aws: { profile: "ops" } };
    expect(suggestCommand(scope, ["show", operand("ci-038")])).toBe("approvals show ci-038 --stack-name load --profile ops");
    const words = ["fail", operand("--stack-name=prod"), operand("b"), "--error", "-E"];
    const command = suggestCommand(scope, words);
    expect(command).toBe("approvals fail --error -E --stack-name load --profile ops -- --stack-name=prod b");
    // A POSIX shell hands the CLI exactly these words.
    const script = `approvals() { printf '%s\\0' "$@"; }\n${command}`;
    const read = execFileSync("/bin/sh", ["-c", script], { encoding: "utf8" }).split("\0").slice(0, -1);
    expect(read).toEqual(["fail", "--error", "-E", "--stack-name", "load", "--profile", "ops", "--", "--stack-name=prod", "b"]);
  });

  it("prints a placeholder for a word the terminal would show escaped, which a copy would get wrong", () => {
    const scope = { stackName: "human-approval", aws: { profile: "a\tb" } };
    const words = ["fail", operand("ci-038"), "--error", "E", "--cause", "two\nlines"];
    expect(suggestCommand(scope, words)).toBe("approvals fail ci-038 --error E --cause <cause> --profile <profile>");
    expect(suggestCommand({ stackName: "human-approval", aws: {} }, ["show", operand("a\u009bb")])).toBe("approvals show <name>");
  });

  it("leaves placeholders unquoted", () => {
    expect(suggestCommand(plain, ["start", "--input", placeholder("file")])).toBe("approvals start --input <file>");
  });
});

describe("shellQuote", () => {
  const words = ["plain-word_1.json", "", "two words", "it's", 'say "hi"', "$HOME", "`id`", "a\\b", "!x", "*", "~user", "new\nline"];

  it("gives back each word as a POSIX shell reads it", () => {
    const script = `for w in ${words.map(shellQuote).join(" ")}; do printf '%s\\0' "$w"; done`;
    const read = execFileSync("/bin/sh", ["-c", script], { encoding: "utf8" }).split("\0").slice(0, -1);
    expect(read).toEqual(words);
  });

  it("quotes only what needs it", () => {
    expect(shellQuote("ci-038")).toBe("ci-038");
    expect(shellQuote("http://127.0.0.1:5000")).toBe("http://127.0.0.1:5000");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe("suggestionLines", () => {
  it("keeps the commands on the lead's line when it fits in 80 columns", () => {
    expect(suggestionLines("Decide with:", ["approvals approve x", "approvals reject x"])).toEqual([
      "Decide with: approvals approve x | approvals reject x",
    ]);
  });

  it("puts each command on a line of its own when it does not", () => {
    const long = ["approvals approve x --stack-name load --profile ops", "approvals reject x --stack-name load --profile ops"];
    expect(suggestionLines("Decide with:", long)).toEqual(["Decide with:", `  ${long[0]}`, `  ${long[1]}`]);
  });
});
