import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../errors.js";

/** CloudFormation's limit for a template sent in the request body. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

const TEMPLATE_FILE = join("templates", "human-approval.yaml");

/** The bundled template's path: found upward from this module, in the source tree and in the package. */
export function bundledTemplatePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, TEMPLATE_FILE);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`The bundled template ${TEMPLATE_FILE} is missing from the installation.`);
}

const TEMPLATE_HINT =
  "Pass a CloudFormation template file, or leave out --template to deploy the bundled one (`approvals template` prints it).";

/** A template read and checked locally, before anything is sent. */
export interface LoadedTemplate {
  path: string;
  body: string;
  /** Names of the template's parameters. */
  parameters: string[];
  /** The Email parameter's AllowedPattern, anchored as CloudFormation applies it. */
  emailPattern: RegExp | undefined;
  emailConstraint: string | undefined;
}

/** Read a template (the bundled one by default) and check it is a CloudFormation template. */
export async function loadTemplate(file?: string): Promise<LoadedTemplate> {
  const path = file ?? bundledTemplatePath();
  let body: string;
  try {
    body = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : code;
    throw new UsageError(`Cannot read template ${path}: ${why ?? (error as Error).message}.`, TEMPLATE_HINT);
  }
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES) {
    throw new UsageError(`Template ${path} is over CloudFormation's ${MAX_TEMPLATE_BODY_BYTES}-byte limit for an inline template.`);
  }
  // yaml is CommonJS: its functions are on the default export, as Node and the bundle both import it.
  const { parseDocument } = (await import("yaml")).default;
  // CloudFormation's short-form tags (!Ref, !Sub, ...) are unknown to a YAML parser: keep them as plain values.
  const doc = parseDocument(body, { logLevel: "silent", uniqueKeys: false });
  const fatal = doc.errors[0];
  if (fatal) {
    throw new UsageError(`Template ${path} is not valid YAML or JSON: ${fatal.message.split("\n")[0]?.replace(/:$/, "")}.`, TEMPLATE_HINT);
  }
  const root = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
  const resources = root && typeof root === "object" ? root.Resources : undefined;
  if (!resources || typeof resources !== "object" || Object.keys(resources).length === 0) {
    throw new UsageError(`${path} is not a CloudFormation template: it has no Resources section.`, TEMPLATE_HINT);
  }
  const parameters = (root?.Parameters ?? {}) as Record<string, { AllowedPattern?: string; ConstraintDescription?: string }>;
  const email = parameters.Email;
  return {
    path,
    body,
    parameters: Object.keys(parameters),
    emailPattern: email?.AllowedPattern ? new RegExp(`^(?:${email.AllowedPattern})$`) : undefined,
    emailConstraint: email?.ConstraintDescription,
  };
}

/** Refuse an email the template's AllowedPattern would reject, before CloudFormation sees it. */
export function validateEmail(template: LoadedTemplate, email: string): void {
  if (!template.parameters.includes("Email")) {
    throw new UsageError(
      `--email was given, but template ${template.path} has no Email parameter to pass it to.`,
      "Leave out --email, or deploy a template that declares the Email parameter.",
    );
  }
  if (template.emailPattern && !template.emailPattern.test(email)) {
    throw new UsageError(
      `--email ${JSON.stringify(email)} does not match the template's AllowedPattern${template.emailConstraint ? ` (${template.emailConstraint})` : ""}.`,
      "Example: --email ops@example.com",
    );
  }
}
