import { describe, expect, it } from "vitest";
import { classifyStackStatus, isFailedResourceStatus } from "../../src/core/stack/status.js";

describe("classifyStackStatus", () => {
  it.each([
    "CREATE_IN_PROGRESS",
    "UPDATE_IN_PROGRESS",
    "DELETE_IN_PROGRESS",
    "REVIEW_IN_PROGRESS",
    "ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
    "IMPORT_IN_PROGRESS",
    "IMPORT_ROLLBACK_IN_PROGRESS",
  ])("%s is in progress", (status) => {
    expect(classifyStackStatus(status)).toBe("in-progress");
  });

  it.each(["CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"])("%s succeeded", (status) => {
    expect(classifyStackStatus(status)).toBe("succeeded");
  });

  it.each([
    "CREATE_FAILED",
    "DELETE_FAILED",
    "UPDATE_FAILED",
    "ROLLBACK_COMPLETE",
    "ROLLBACK_FAILED",
    "UPDATE_ROLLBACK_COMPLETE",
    "UPDATE_ROLLBACK_FAILED",
    "IMPORT_ROLLBACK_COMPLETE",
    "IMPORT_ROLLBACK_FAILED",
  ])("%s failed: a completed rollback is a failed operation", (status) => {
    expect(classifyStackStatus(status)).toBe("failed");
  });
});

describe("isFailedResourceStatus", () => {
  it("is true for *_FAILED only", () => {
    expect(isFailedResourceStatus("CREATE_FAILED")).toBe(true);
    expect(isFailedResourceStatus("UPDATE_FAILED")).toBe(true);
    expect(isFailedResourceStatus("DELETE_FAILED")).toBe(true);
    expect(isFailedResourceStatus("CREATE_COMPLETE")).toBe(false);
    expect(isFailedResourceStatus("ROLLBACK_IN_PROGRESS")).toBe(false);
    expect(isFailedResourceStatus(undefined)).toBe(false);
  });
});
