import { describe, expect, it } from "vitest";
import {
  decisionIdOf,
  readCause,
  readOutput,
  recordedCause,
  recordedOutput,
  shortDecidedBy,
  VIA_CLI,
} from "../../src/core/workflow/decision-record.js";

const record = {
  decidedBy: "arn:aws:sts::123456789012:assumed-role/Operators/alice",
  via: VIA_CLI,
  decisionId: "0b6f3c1e-2d7a-4c55-9d0e-8f1a2b3c4d5e",
};
const status = "Approved! Task approved by ops@example.com";

describe("recordedOutput", () => {
  it("keeps the email's Status byte for byte, first, with the record beside it", () => {
    const output = recordedOutput(status, { ...record, reason: "looks good" });
    expect(output.startsWith(`{"Status":${JSON.stringify(status)},`)).toBe(true);
    expect(JSON.parse(output)).toEqual({
      Status: status,
      DecidedBy: record.decidedBy,
      Via: "approvals CLI",
      Reason: "looks good",
      DecisionId: record.decisionId,
    });
  });

  it("leaves Reason out when none was given", () => {
    expect(Object.keys(JSON.parse(recordedOutput(status, record)))).toEqual(["Status", "DecidedBy", "Via", "DecisionId"]);
  });

  it("reads back what it wrote, whatever the spacing", () => {
    const output = JSON.stringify(JSON.parse(recordedOutput(status, { ...record, reason: "ok" })), null, 1);
    expect(readOutput(output)).toEqual({ status, record: { ...record, reason: "ok" } });
    expect(decisionIdOf(output)).toBe(record.decisionId);
  });
});

describe("readOutput", () => {
  it("an old-style payload has a Status and no record", () => {
    expect(readOutput(`{"Status":"${status}"}`)).toEqual({ status, record: undefined });
  });

  it("ignores what is not a JSON object, and fields that are not strings", () => {
    expect(readOutput("not json")).toEqual({});
    expect(readOutput("[1]")).toEqual({});
    expect(readOutput(undefined)).toEqual({});
    expect(readOutput('{"Status":"x","DecidedBy":{"a":1},"DecisionId":7}')).toEqual({ status: "x", record: undefined });
    expect(decisionIdOf('{"DecisionId":7}')).toBeUndefined();
  });

  it("does not take inherited names for fields", () => {
    expect(readOutput('{"__proto__":{"DecidedBy":"x"},"Status":"s"}')).toEqual({ status: "s", record: undefined });
  });
});

describe("recordedCause and readCause", () => {
  it("wraps the operator's cause so a Catch can unwrap it, and reads it back", () => {
    const cause = recordedCause("The request was withdrawn", record);
    expect(JSON.parse(cause)).toEqual({
      Cause: "The request was withdrawn",
      DecidedBy: record.decidedBy,
      Via: VIA_CLI,
      DecisionId: record.decisionId,
    });
    expect(readCause(cause)).toEqual({ cause: "The request was withdrawn", record });
  });

  it("a fail without --cause records who, with no Cause", () => {
    expect(readCause(recordedCause(undefined, record))).toEqual({ cause: undefined, record });
  });

  it("a cause another tool wrote is read as it is, even when it is JSON", () => {
    expect(readCause("plain words")).toEqual({ cause: "plain words" });
    expect(readCause('{"Cause":"x"}')).toEqual({ cause: '{"Cause":"x"}' });
    expect(readCause(undefined)).toEqual({ cause: undefined });
  });
});

describe("shortDecidedBy", () => {
  it.each([
    ["arn:aws:sts::123456789012:assumed-role/Operators/alice", "alice"],
    ["arn:aws:iam::123456789012:user/bob", "bob"],
    ["arn:aws:iam::123456789012:user/team/ops/carol", "carol"],
    ["arn:aws:iam::123456789012:root", "root (123456789012)"],
    ["arn:aws-us-gov:sts::123456789012:federated-user/dave", "dave"],
    [
      "the holder of the link mailed to ops@example.com (from 203.0.113.7)",
      "the holder of the link mailed to ops@example.com (from 203.0.113.7)",
    ],
  ])("%s → %s", (arn, short) => {
    expect(shortDecidedBy(arn)).toBe(short);
  });
});
