import { startCli } from "./cli.js";

/**
 * `pending --watch --interval 2 <args>` started in a pipe, with what it has written so far and how
 * long two of its rounds take plus a margin (with --all-stacks every stack of the shared emulator is
 * watched, 2 s each a round).
 */
export function watchInPipe(args: string[], options: { env: Record<string, string | undefined>; timeoutMs: number }) {
  const watcher = startCli(["pending", "--watch", "--interval", "2", ...args], options);
  const seen = { stdout: "", stderr: "" };
  watcher.child.stdout.on("data", (chunk) => {
    seen.stdout += chunk;
  });
  watcher.child.stderr.on("data", (chunk) => {
    seen.stderr += chunk;
  });
  const round = () => 1000 * Number(seen.stderr.match(/^Refreshing every (\d+) s/m)?.[1] ?? 2);
  return { watcher, seen, rounds: () => 30_000 + 2 * round(), round };
}
