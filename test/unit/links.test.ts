import { describe, expect, it } from "vitest";
import { apiInvokeUrl, approvalLinks, stateMachineName } from "../../src/core/workflow/email.js";
import { API_URL, STATE_MACHINE_ARN, TOKEN } from "./fixtures.js";

describe("approvalLinks", () => {
  it("builds the URLs exactly as the email function does", () => {
    const sm = stateMachineName(STATE_MACHINE_ARN);
    const links = approvalLinks(API_URL, sm, "ApprovalTest", TOKEN);
    // The template's code: apigwEndpint + "/execution?action=" + action + "&ex=" + encodeURIComponent(executionName) + ...
    const email = (action: string) =>
      `${API_URL}/execution?action=${action}&ex=ApprovalTest&sm=${encodeURIComponent(sm)}&taskToken=${encodeURIComponent(TOKEN)}`;
    expect(links).toEqual({ approve: email("approve"), reject: email("reject") });
  });

  it("encodes every parameter: names with ', +, &, spaces and Hangul round-trip", () => {
    const names = ["it's", "a+b", "R&D", "two words", "승인-테스트", "100%"];
    for (const name of names) {
      const { approve, reject } = approvalLinks(API_URL, `sm ${name}`, name, "a+b/c=d&e");
      for (const link of [approve, reject]) {
        const params = new URL(link).searchParams;
        expect(params.get("ex")).toBe(name);
        expect(params.get("sm")).toBe(`sm ${name}`);
        expect(params.get("taskToken")).toBe("a+b/c=d&e");
        expect([...params.keys()]).toEqual(["action", "ex", "sm", "taskToken"]);
      }
      expect(new URL(approve).searchParams.get("action")).toBe("approve");
      expect(new URL(reject).searchParams.get("action")).toBe("reject");
    }
    expect(approvalLinks(API_URL, "sm", "it's a+b", "t").approve).toBe(
      `${API_URL}/execution?action=approve&ex=it's%20a%2Bb&sm=sm&taskToken=t`,
    );
  });
});

describe("apiInvokeUrl", () => {
  const url = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/states";

  it("is the stack's URL unless a local endpoint stands in for API Gateway", () => {
    expect(apiInvokeUrl(url, undefined)).toBe(url);
    expect(apiInvokeUrl(url, "")).toBe(url);
  });

  it("maps the API id and stage onto the local endpoint", () => {
    expect(apiInvokeUrl(url, "http://127.0.0.1:8123")).toBe("http://127.0.0.1:8123/a1b2c3d4e5/states");
    expect(apiInvokeUrl(url, "http://127.0.0.1:8123/")).toBe("http://127.0.0.1:8123/a1b2c3d4e5/states");
  });

  it("leaves a URL of another shape (a custom domain) alone", () => {
    expect(apiInvokeUrl("https://approvals.example.com/states", "http://127.0.0.1:8123")).toBe("https://approvals.example.com/states");
  });
});

describe("stateMachineName", () => {
  it("is the last part of the ARN", () => {
    expect(stateMachineName(STATE_MACHINE_ARN)).toBe("human-approval-HumanApprovalLambdaStateMachine-ABC123");
  });
});
