// The options every command takes, as data like each command's own: cli.ts adds them to every
// command, and a handler's options type includes them.
import { DEFAULT_STACK_NAME } from "../settings.js";
import type { OptionsOf } from "./option-types.js";

/** Where and as whom to call AWS: commands that call AWS take these. */
export const awsOptions = {
  /** Default `human-approval`. */
  stackName: { flags: "--stack-name <name>", help: "CloudFormation stack name", default: DEFAULT_STACK_NAME },
  /** Default: AWS_REGION, AWS_DEFAULT_REGION, then the profile's region. */
  region: { flags: "--region <region>", help: "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's)" },
  /** Default: AWS_PROFILE, then `default`. */
  profile: { flags: "--profile <name>", help: "shared config/credentials profile (default: AWS_PROFILE or default)" },
  /** Default: AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE>, then AWS. */
  endpointUrl: { flags: "--endpoint-url <url>", help: "send requests to this endpoint (default: AWS_ENDPOINT_URL)" },
  /** Seconds; default 60, 0 waits forever. */
  cliConnectTimeout: {
    flags: "--cli-connect-timeout <seconds>",
    help: "longest wait for a connection to AWS; 0 waits forever (default: 60)",
  },
  /** Seconds; default 60, 0 waits forever. */
  cliReadTimeout: {
    flags: "--cli-read-timeout <seconds>",
    help: "longest wait for data from AWS on an open connection; 0 waits forever (default: 60)",
  },
} as const;

/** What every command takes. */
export const runOptions = {
  /** Default off. */
  debug: { flags: "--debug", help: "show stack traces, request ids and each AWS call on stderr" },
  /** Default: colour at a terminal, unless NO_COLOR is set. */
  color: { flags: "--no-color", help: "never colour the output" },
} as const;

/** Commands whose spec says `json: true` take it. Default off. */
export const jsonOption = { json: { flags: "--json", help: "print the result as one JSON document on stdout" } } as const;

/** Commands whose spec says `yes: true` take it. Default: ask at a terminal. */
export const yesOption = { yes: { flags: "-y, --yes", help: "do not ask for confirmation" } } as const;

/**
 * The common options a handler may be given (which of them a command takes depends on its spec's
 * `aws`, `json` and `yes`), and whether `--stack-name` was on the command line, which the CLI sets.
 */
export type CommonOptions = Partial<
  OptionsOf<typeof awsOptions> & OptionsOf<typeof runOptions> & OptionsOf<typeof jsonOption> & OptionsOf<typeof yesOption>
> & {
  /** Whether `--stack-name` was on the command line (not its default). */
  stackNameGiven?: boolean;
};
