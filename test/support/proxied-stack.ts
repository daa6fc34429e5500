import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { type EmulatorProxy, startProxy } from "../../scripts/proxy.mjs";
import { historyOf, waitForToken } from "../integration/sfn-helpers.js";
import { cliEnv, endpoint, runCli, sdk, uniqueStackName } from "./cli.js";
import { eventually } from "./eventually.js";

/** Options of {@link proxiedStack}. */
export interface ProxiedStackOptions {
  /** `--template` for the deploy; default the bundled template. */
  template?: string;
}

/**
 * A stack deployed straight at the emulator, with one cache folder (XDG_CACHE_HOME) that its
 * commands share across runs, and helpers that run commands through `proxy` to count their calls.
 * For the tests of what `pending` remembers between runs (cache, warm).
 */
export async function proxiedStack(proxy: EmulatorProxy, prefix: string, options: ProxiedStackOptions = {}) {
  const { sfn } = sdk();
  const stack = uniqueStackName(prefix);
  const cacheHome = mkdtempSync(join(tmpdir(), "approvals-xdg-"));
  const direct = cliEnv({ XDG_CACHE_HOME: cacheHome });
  const viaProxy = { ...direct, AWS_ENDPOINT_URL: proxy.endpoint };
  const template = options.template ? ["--template", options.template] : [];
  const deployed = await runCli(["deploy", "--email", "ops@example.com", "--yes", "--stack-name", stack, ...template], { env: direct });
  expect(deployed.code, deployed.stderr).toBe(0);
  const tokens = new Map<string, string>();
  const arns = new Map<string, string>();
  /** Run a command through the proxy: its result and the calls it made. */
  const counted = async (args: string[]) => {
    proxy.reset();
    const result = await runCli([...args, "--stack-name", stack], { env: viaProxy });
    return { ...result, calls: { ...proxy.stats.calls }, total: proxy.stats.total };
  };
  return {
    stack,
    cacheHome,
    tokens,
    arns,
    counted,
    /** Start an execution straight at the emulator; return its ARN once it waits, its task submitted. */
    async start(name: string): Promise<string> {
      const started = await runCli(["start", "--input", "-", "--name", name, "--json", "--stack-name", stack], {
        env: direct,
        input: `{"Comment":"${name}"}`,
      });
      expect(started.code, started.stderr).toBe(0);
      const { executionArn } = JSON.parse(started.stdout) as { executionArn: string };
      arns.set(name, executionArn);
      tokens.set(name, await waitForToken(sfn, executionArn));
      // Settled at the callback: the email function has been invoked and the task submitted.
      await eventually(async () => (await historyOf(sfn, executionArn)).at(-1)?.type === "TaskSubmitted", {
        deadline: 20_000,
        what: `${name} to submit its task`,
      });
      return executionArn;
    },
    /** `approvals pending --json` through the proxy: the names listed (sorted), the JSON, and the calls it made. */
    async pending(...extra: string[]) {
      const result = await counted(["pending", "--json", ...extra]);
      expect(result.code, result.stderr).toBe(0);
      const json = JSON.parse(result.stdout) as { name: string }[];
      return { names: json.map((p) => p.name).sort(), json, calls: result.calls, total: result.total };
    },
    /** The files in the cache folder, sorted; none before a command has written one. */
    cacheFiles: (): string[] => (existsSync(join(cacheHome, "approvals")) ? readdirSync(join(cacheHome, "approvals")).sort() : []),
  };
}

/**
 * For a test file: a counting proxy in front of the emulator, started before its tests and stopped
 * after them. Returns the set-up of a {@link proxiedStack} behind it.
 */
export function useProxiedStacks(): (prefix: string, options?: ProxiedStackOptions) => ReturnType<typeof proxiedStack> {
  let proxy: EmulatorProxy | undefined;
  beforeAll(async () => {
    proxy = await startProxy({ target: endpoint() });
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  return (prefix, options) => {
    if (!proxy) throw new Error("useProxiedStacks: the proxy starts in beforeAll; set a stack up in a hook or a test");
    return proxiedStack(proxy, prefix, options);
  };
}
