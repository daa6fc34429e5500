// The workflow corpus (test/fixtures/workflows): definitions usable with CreateStateMachine once their
// placeholders are filled, and beside each the routes expected from it (`<name>.expect.json`).
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const DIR = resolve(import.meta.dirname, "../fixtures/workflows");

/** What fills the placeholders of a fixture: the SQS queue and the Lambda function the callbacks use. */
export interface FixtureValues {
  QueueUrl: string;
  FunctionArn: string;
}

const SAMPLE: FixtureValues = {
  QueueUrl: "http://sqs.us-east-1.localhost/123456789012/approvals",
  FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:ask",
};

/** The names of the corpus's workflows (file names without `.asl.json`). */
export function workflowFixtures(): string[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".asl.json"))
    .map((f) => f.slice(0, -".asl.json".length))
    .sort();
}

/** A fixture's definition text with every `${Name}` placeholder filled; throws on one without a value. */
export function fixtureDefinition(name: string, values: FixtureValues = SAMPLE): string {
  return readFileSync(join(DIR, `${name}.asl.json`), "utf8").replace(/\$\{(\w+)\}/g, (_all, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key as keyof FixtureValues] : undefined;
    if (value === undefined) throw new Error(`${name}: no value for the placeholder ${key}`);
    // The value lands inside a JSON string: escape it as JSON would.
    return JSON.stringify(value).slice(1, -1);
  });
}

/** A fixture's expectations, as written in its `<name>.expect.json`. */
export function fixtureExpectations<T>(name: string): T {
  return JSON.parse(readFileSync(join(DIR, `${name}.expect.json`), "utf8")) as T;
}
