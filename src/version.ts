declare const __APPROVALS_VERSION__: string | undefined;

/** The package version, inlined from package.json by the build (tsup and vitest `define`). */
export const VERSION: string = typeof __APPROVALS_VERSION__ === "string" ? __APPROVALS_VERSION__ : "0.0.0-dev";
