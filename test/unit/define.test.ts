import { Command } from "commander";
import { describe, expect, expectTypeOf, it } from "vitest";
import { awsOptions, jsonOption, runOptions, yesOption } from "../../src/commands/common.spec.js";
import { addOptions, addSpec, commandSpec, type HandlerOf } from "../../src/commands/define.js";
import { commands } from "../../src/commands/index.js";
import type { OptionsOf } from "../../src/commands/option-types.js";
import type { VerdictOptions } from "../../src/commands/verdict.spec.js";

describe("option specs", () => {
  it("type each value from its flags: <x> a string, [x] a string or true, ... a list, none a boolean, --no-x always set", () => {
    const spec = {
      plain: { flags: "--plain", help: "" },
      value: { flags: "--value <x>", help: "" },
      maybe: { flags: "--maybe [x]", help: "" },
      many: { flags: "--many <x...>", help: "" },
      cache: { flags: "--no-cache", help: "" },
      must: { flags: "--must <x>", help: "", required: true },
    } as const;
    expectTypeOf<OptionsOf<typeof spec>>().toEqualTypeOf<
      { cache: boolean; must: string } & { plain?: boolean; value?: string; maybe?: string | true; many?: string[] }
    >();
    const shown = commandSpec({ name: "x", args: "<execution>", summary: "", examples: [], options: spec });
    expectTypeOf<Parameters<HandlerOf<typeof shown>>[1]>().toEqualTypeOf<[string]>();
    expectTypeOf<VerdictOptions["waitTimeout"]>().toEqualTypeOf<string | undefined>();
  });

  it("refuses an option keyed otherwise than commander names its value", () => {
    const spec = commandSpec({ name: "x", summary: "", examples: [], options: { wait: { flags: "--wait-timeout <s>", help: "" } } });
    expect(() => addSpec(new Command("x"), spec, "")).toThrow("x: option --wait-timeout <s> is keyed wait, not waitTimeout");
  });

  it("every command's options are keyed as commander names them", () => {
    for (const spec of commands) expect(() => addSpec(new Command(spec.name), spec, "")).not.toThrow();
  });

  it("the common options are keyed as commander names them, and a default is always set", () => {
    const command = new Command("x");
    for (const options of [awsOptions, runOptions, jsonOption, yesOption]) expect(() => addOptions(command, "x", options)).not.toThrow();
    command.parse(["--region", "eu-west-1", "-y"], { from: "user" });
    expect(command.opts()).toEqual({ stackName: "human-approval", region: "eu-west-1", color: true, yes: true });
    expectTypeOf<OptionsOf<typeof awsOptions>["stackName"]>().toEqualTypeOf<string>();
  });
});
