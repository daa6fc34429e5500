import { describe, expect, it } from "vitest";
import { approvalLinks, stateMachineName } from "../../src/core/workflow/email.js";
import { API_URL, STATE_MACHINE_ARN, TOKEN } from "./fixtures.js";

describe("approvalLinks", () => {
  it("builds the URLs exactly as the email function does", () => {
    const sm = stateMachineName(STATE_MACHINE_ARN);
    const links = approvalLinks(API_URL, sm, "ApprovalTest", TOKEN);
    // The template's code: apigwEndpint + "/execution?action=approve&ex=" + executionName + "&sm=" + statemachineName + "&taskToken=" + encodeURIComponent(taskToken)
    const email = (action: string) =>
      `${API_URL}/execution?action=${action}&ex=ApprovalTest&sm=${sm}&taskToken=${encodeURIComponent(TOKEN)}`;
    expect(links).toEqual({ approve: email("approve"), reject: email("reject") });
  });

  it("encodes the token, and only the token", () => {
    const { approve } = approvalLinks(API_URL, "sm", "승인-테스트", "a+b/c=d");
    expect(approve).toBe(`${API_URL}/execution?action=approve&ex=승인-테스트&sm=sm&taskToken=a%2Bb%2Fc%3Dd`);
    expect(new URL(approve).searchParams.get("taskToken")).toBe("a+b/c=d");
    expect(new URL(approve).searchParams.get("ex")).toBe("승인-테스트");
  });
});

describe("stateMachineName", () => {
  it("is the last part of the ARN", () => {
    expect(stateMachineName(STATE_MACHINE_ARN)).toBe("human-approval-HumanApprovalLambdaStateMachine-ABC123");
  });
});
