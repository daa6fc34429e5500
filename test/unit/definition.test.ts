import { describe, expect, it } from "vitest";
import { endsRightAfterCallback, parseWorkflow } from "../../src/core/workflow/definition.js";
import { decisionPayload, expectedStatuses } from "../../src/core/workflow/email.js";
import { NotApprovalWorkflowError, UsageError } from "../../src/errors.js";
import { type DefinitionDocument, templateDefinition, templateDocument } from "./fixtures.js";

const email = "ops@example.com";
const variant = (edit: (doc: DefinitionDocument) => void): string => {
  const doc = templateDocument(email);
  edit(doc);
  return JSON.stringify(doc);
};

describe("parseWorkflow on the template's definition", () => {
  const workflow = parseWorkflow(templateDefinition(email));

  it("finds the callback state, the Choice state and both branches", () => {
    expect(workflow).toMatchObject({
      startAt: "Lambda Callback",
      callbackState: "Lambda Callback",
      choiceState: "ManualApprovalChoiceState",
      approvedNext: "ApprovedPassState",
      rejectedNext: "RejectedPassState",
      timeoutSeconds: 3600,
    });
  });

  it("reads the Choice strings the Email parameter built", () => {
    expect(workflow.approvedStatus).toBe(`Approved! Task approved by ${email}`);
    expect(workflow.rejectedStatus).toBe(`Rejected! Task rejected by ${email}`);
    expect(expectedStatuses(email)).toEqual({ approved: workflow.approvedStatus, rejected: workflow.rejectedStatus });
  });
});

describe("decisionPayload", () => {
  it("is exactly what the email's links send", () => {
    const workflow = parseWorkflow(templateDefinition(email));
    expect(decisionPayload(workflow, "approve")).toBe(`{"Status":"Approved! Task approved by ${email}"}`);
    expect(decisionPayload(workflow, "reject")).toBe(`{"Status":"Rejected! Task rejected by ${email}"}`);
  });

  it("follows the deployed Email, whatever it is", () => {
    const other = parseWorkflow(templateDefinition("first.last+tag@sub.example.org"));
    expect(decisionPayload(other, "approve")).toBe('{"Status":"Approved! Task approved by first.last+tag@sub.example.org"}');
  });

  it("escapes what JSON needs escaped, as JSON.stringify does in the Lambda function", () => {
    const quoted = parseWorkflow(
      variant((doc) => {
        doc.States.ManualApprovalChoiceState.Choices[0].StringEquals = 'Approved! "yes"';
      }),
    );
    expect(decisionPayload(quoted, "approve")).toBe('{"Status":"Approved! \\"yes\\""}');
  });
});

describe("parseWorkflow on variants", () => {
  it("reads the callback state by its resource, whatever its name", () => {
    const workflow = parseWorkflow(
      variant((doc) => {
        doc.States["Wait for a human"] = doc.States["Lambda Callback"];
        delete doc.States["Lambda Callback"];
        doc.StartAt = "Wait for a human";
      }),
    );
    expect(workflow.callbackState).toBe("Wait for a human");
    expect(workflow.startAt).toBe("Wait for a human");
  });

  it("finds the approved and rejected strings in any order, ignoring other choices", () => {
    const workflow = parseWorkflow(
      variant((doc) => {
        const [approved, rejected] = doc.States.ManualApprovalChoiceState.Choices;
        doc.States.ManualApprovalChoiceState.Choices = [
          { Variable: "$.Other", StringEquals: "Approved! not this", Next: "RejectedPassState" },
          rejected,
          approved,
        ];
        doc.States.ManualApprovalChoiceState.Default = "RejectedPassState";
      }),
    );
    expect(workflow.approvedStatus).toBe(`Approved! Task approved by ${email}`);
    expect(workflow.approvedNext).toBe("ApprovedPassState");
    expect(workflow.rejectedStatus).toBe(`Rejected! Task rejected by ${email}`);
    expect(workflow.rejectedNext).toBe("RejectedPassState");
  });

  it("takes the first two $.Status choices when the strings are worded differently", () => {
    const workflow = parseWorkflow(
      variant((doc) => {
        const choices = doc.States.ManualApprovalChoiceState.Choices;
        choices[0].StringEquals = "OK";
        choices[1].StringEquals = "NO";
      }),
    );
    expect([workflow.approvedStatus, workflow.rejectedStatus]).toEqual(["OK", "NO"]);
  });

  it("reads the timeout from the definition, and none when it sets none", () => {
    const shorter = variant((doc) => {
      doc.TimeoutSeconds = 600;
    });
    expect(parseWorkflow(shorter).timeoutSeconds).toBe(600);
    const none = variant((doc) => {
      delete doc.TimeoutSeconds;
    });
    expect(parseWorkflow(none).timeoutSeconds).toBeUndefined();
    expect(parseWorkflow(templateDefinition()).callbackTimeoutSeconds).toBeUndefined();
  });

  it("reads the callback state's own timeout apart: it counts from when the task was scheduled", () => {
    const workflow = parseWorkflow(
      variant((doc) => {
        doc.States["Lambda Callback"].TimeoutSeconds = 300;
      }),
    );
    expect(workflow.timeoutSeconds).toBe(3600);
    expect(workflow.callbackTimeoutSeconds).toBe(300);
  });

  it.each([
    ["not JSON", () => "{", /not valid JSON/],
    [
      "no .waitForTaskToken Task",
      () =>
        variant((doc) => {
          doc.States["Lambda Callback"].Resource = "arn:aws:states:::lambda:invoke";
        }),
      /no Task state with a \.waitForTaskToken resource/,
    ],
    [
      "no Choice after the callback",
      () =>
        variant((doc) => {
          doc.States["Lambda Callback"].Next = "ApprovedPassState";
        }),
      /The state after "Lambda Callback" is not a Choice state/,
    ],
    [
      "a callback that ends the execution",
      () =>
        variant((doc) => {
          delete doc.States["Lambda Callback"].Next;
          doc.States["Lambda Callback"].End = true;
        }),
      /not a Choice state/,
    ],
    [
      "a Choice with one $.Status string",
      () =>
        variant((doc) => {
          doc.States.ManualApprovalChoiceState.Choices.pop();
        }),
      /does not route on an approved and a rejected \$\.Status/,
    ],
    ["an empty definition", () => "{}", /no Task state/],
  ])("refuses %s", (_what, definition, message) => {
    // A deployed definition is not the user's input: not a usage error (exit 2), but "not found" (exit 3).
    expect(() => parseWorkflow(definition())).toThrow(NotApprovalWorkflowError);
    expect(() => parseWorkflow(definition())).not.toThrow(UsageError);
    expect(() => parseWorkflow(definition())).toThrow(message);
  });
});

describe("endsRightAfterCallback", () => {
  it("holds for the template: only Choice and Pass states follow the callback", () => {
    expect(endsRightAfterCallback(parseWorkflow(templateDefinition()))).toBe(true);
  });

  it("holds with Succeed and Fail states and a Default branch", () => {
    const workflow = parseWorkflow(
      variant((doc) => {
        doc.States.ManualApprovalChoiceState.Default = "Unknown";
        doc.States.Unknown = { Type: "Fail", Error: "Unknown", Cause: "no such decision" };
        doc.States.ApprovedPassState = { Type: "Pass", Next: "Done" };
        doc.States.Done = { Type: "Succeed" };
      }),
    );
    expect(endsRightAfterCallback(workflow)).toBe(true);
  });

  it("fails when any path after the callback reaches a state that takes time", () => {
    const afterApproval = parseWorkflow(
      variant((doc) => {
        doc.States.ApprovedPassState = { Type: "Pass", Next: "Deploy" };
        doc.States.Deploy = { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", End: true };
      }),
    );
    expect(endsRightAfterCallback(afterApproval)).toBe(false);

    const waits = parseWorkflow(
      variant((doc) => {
        doc.States.ManualApprovalChoiceState.Default = "Later";
        doc.States.Later = { Type: "Wait", Seconds: 60, End: true };
      }),
    );
    expect(endsRightAfterCallback(waits)).toBe(false);
  });

  it("fails when a path loops back to the callback", () => {
    const loops = parseWorkflow(
      variant((doc) => {
        doc.States.RejectedPassState = { Type: "Pass", Next: "Lambda Callback" };
      }),
    );
    expect(endsRightAfterCallback(loops)).toBe(false);
  });

  it("fails when the callback catches errors into a state that takes time", () => {
    const catches = parseWorkflow(
      variant((doc) => {
        doc.States["Lambda Callback"].Catch = [{ ErrorEquals: ["States.ALL"], Next: "Notify" }];
        doc.States.Notify = { Type: "Task", Resource: "arn:aws:states:::sns:publish", End: true };
      }),
    );
    expect(endsRightAfterCallback(catches)).toBe(false);
  });

  it("fails when the callback retries: a failed task runs again with a new token", () => {
    const retries = parseWorkflow(
      variant((doc) => {
        doc.States["Lambda Callback"].Retry = [{ ErrorEquals: ["States.ALL"], MaxAttempts: 2 }];
      }),
    );
    expect(endsRightAfterCallback(retries)).toBe(false);
  });
});
