import type { DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { describe, expect, it } from "vitest";
import { endedReason } from "../../src/core/executions/check-waiting.js";
import { executionName, resolveExecutionArn, validateExecutionName } from "../../src/core/executions/names.js";
import { expiryOf } from "../../src/core/executions/waiting.js";
import { parseWorkflow } from "../../src/core/workflow/definition.js";
import { STATE_MACHINE_ARN, templateDefinition, templateDocument, usageError } from "./fixtures.js";

const EXECUTION_PREFIX = STATE_MACHINE_ARN.replace(":stateMachine:", ":execution:");

describe("validateExecutionName", () => {
  it.each([
    "ApprovalTest",
    "승인-테스트",
    "déploiement_v2",
    "a",
    "x".repeat(80),
    "発注-2026.11.25",
    "🚀-launch",
    "with'quote",
    "a(b)c",
    "a=b+c@d!",
  ])("accepts %s", (name) => {
    expect(() => validateExecutionName(name)).not.toThrow();
  });

  it("counts characters, not bytes or UTF-16 units", () => {
    expect(() => validateExecutionName("승".repeat(80))).not.toThrow();
    expect(() => validateExecutionName("🚀".repeat(80))).not.toThrow();
    expect(usageError(() => validateExecutionName("승".repeat(81))).message).toContain("it has 81");
  });

  it("refuses an empty or overlong name", () => {
    expect(usageError(() => validateExecutionName("")).message).toBe('Execution name "" must be 1 to 80 characters long (it has 0).');
    expect(usageError(() => validateExecutionName("x".repeat(81))).message).toContain("must be 1 to 80 characters long (it has 81)");
  });

  it.each([
    " ",
    "\t",
    "\n",
    "\u00a0",
    "<",
    ">",
    "{",
    "}",
    "[",
    "]",
    "?",
    "*",
    '"',
    "#",
    "%",
    "\\",
    "^",
    "|",
    "~",
    "`",
    "$",
    "&",
    ",",
    ";",
    ":",
    "/",
    "\u0000",
    "\u001f",
    "\u007f",
    "\u0085",
    "\u009f",
    "\ud800",
  ])("refuses a name containing %j, naming the character", (ch) => {
    const error = usageError(() => validateExecutionName(`deploy${ch}v2`));
    expect(error.message).toContain(`contains ${JSON.stringify(ch)}, which Step Functions does not allow`);
    expect(error.hint).toContain("Names may not contain");
  });
});

describe("resolveExecutionArn", () => {
  it("builds the ARN of a name in the stack's state machine", () => {
    expect(resolveExecutionArn(STATE_MACHINE_ARN, "ApprovalTest")).toBe(`${EXECUTION_PREFIX}:ApprovalTest`);
    expect(resolveExecutionArn(STATE_MACHINE_ARN, "승인-테스트")).toBe(`${EXECUTION_PREFIX}:승인-테스트`);
  });

  it("keeps an execution ARN of the same state machine", () => {
    const arn = `${EXECUTION_PREFIX}:승인-테스트`;
    expect(resolveExecutionArn(STATE_MACHINE_ARN, arn)).toBe(arn);
  });

  it("refuses an ARN of another state machine, or one that is not an execution", () => {
    const other = `${EXECUTION_PREFIX}-other:ApprovalTest`;
    expect(usageError(() => resolveExecutionArn(STATE_MACHINE_ARN, other)).message).toContain(
      "is not an execution of this stack's state machine",
    );
    usageError(() => resolveExecutionArn(STATE_MACHINE_ARN, STATE_MACHINE_ARN));
    usageError(() => resolveExecutionArn(STATE_MACHINE_ARN, "arn:aws:states:us-east-1:123456789012:execution:other:ApprovalTest"));
  });

  it("validates a name before building anything", () => {
    usageError(() => resolveExecutionArn(STATE_MACHINE_ARN, "two words"));
    usageError(() => resolveExecutionArn(STATE_MACHINE_ARN, ""));
  });
});

describe("executionName", () => {
  it("is the last part of the ARN", () => {
    expect(executionName(`${EXECUTION_PREFIX}:승인-테스트`)).toBe("승인-테스트");
  });
});

describe("endedReason", () => {
  const stopDate = new Date("2026-11-25T10:05:00.000Z");
  const execution = (fields: Partial<DescribeExecutionCommandOutput>) => ({ $metadata: {}, ...fields }) as DescribeExecutionCommandOutput;
  const status = "Approved! Task approved by ops@example.com";

  it("says who decided an execution, and how it ended", () => {
    expect(endedReason(execution({ status: "SUCCEEDED", stopDate }), { kind: "succeeded", status })).toBe(
      `it was already decided ("${status}") and ended SUCCEEDED at 2026-11-25T10:05:00.000Z`,
    );
  });

  it("does not call a decided execution that is still finishing ended", () => {
    const reason = endedReason(execution({ status: "RUNNING" }), { kind: "succeeded", status });
    expect(reason).toBe(`it was already decided ("${status}")`);
    expect(reason).not.toContain("ended");
  });

  it("says an execution failed, with its error", () => {
    expect(endedReason(execution({ status: "FAILED", stopDate, error: "Cancelled" }), { kind: "failed", error: "Cancelled" })).toBe(
      "it failed with Cancelled at 2026-11-25T10:05:00.000Z",
    );
    expect(endedReason(execution({ status: "FAILED" }), { kind: "failed", error: "FromHistory" })).toBe("it failed with FromHistory");
    expect(endedReason(execution({ status: "FAILED" }))).toBe("it failed");
  });

  it("says an execution timed out, from its status or its task's", () => {
    expect(endedReason(execution({ status: "TIMED_OUT", stopDate }))).toBe("it timed out at 2026-11-25T10:05:00.000Z");
    expect(endedReason(execution({ status: "FAILED", stopDate }), { kind: "timed-out" })).toBe("it timed out at 2026-11-25T10:05:00.000Z");
  });

  it("says an execution was aborted", () => {
    expect(endedReason(execution({ status: "ABORTED", stopDate }))).toBe("it was aborted at 2026-11-25T10:05:00.000Z");
  });

  it("names any other status", () => {
    expect(endedReason(execution({ status: "SUCCEEDED", stopDate }))).toBe("it is SUCCEEDED at 2026-11-25T10:05:00.000Z");
    expect(endedReason(execution({}))).toBe("it is UNKNOWN");
  });
});

describe("expiryOf", () => {
  const start = new Date("2026-11-25T10:00:00.000Z");
  const waitingSince = new Date("2026-11-25T10:00:30.000Z");

  it("is the start plus the definition's TimeoutSeconds", () => {
    expect(expiryOf(start, parseWorkflow(templateDefinition()), waitingSince)).toEqual(new Date("2026-11-25T11:00:00.000Z"));
  });

  it("is undefined when the definition sets no timeout", () => {
    const doc = templateDocument();
    delete doc.TimeoutSeconds;
    expect(expiryOf(start, parseWorkflow(JSON.stringify(doc)), waitingSince)).toBeUndefined();
  });

  it("counts the callback state's own timeout from when it started waiting", () => {
    const doc = templateDocument();
    doc.States["Lambda Callback"].TimeoutSeconds = 300;
    expect(expiryOf(start, parseWorkflow(JSON.stringify(doc)), waitingSince)).toEqual(new Date("2026-11-25T10:05:30.000Z"));
    delete doc.TimeoutSeconds;
    expect(expiryOf(start, parseWorkflow(JSON.stringify(doc)), waitingSince)).toEqual(new Date("2026-11-25T10:05:30.000Z"));
    doc.TimeoutSeconds = 60;
    expect(expiryOf(start, parseWorkflow(JSON.stringify(doc)), waitingSince)).toEqual(new Date("2026-11-25T10:01:00.000Z"));
  });
});
