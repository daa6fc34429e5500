import { describe, expect, it } from "vitest";
import { endpointName, isLoopbackEndpoint } from "../../src/aws/endpoint-name.js";
import { rawControls } from "../support/hostile.js";

describe("endpointName", () => {
  it("keeps the scheme, host and port, writing the scheme's default port", () => {
    expect(endpointName("http://127.0.0.1:4566")).toBe("http://127.0.0.1:4566");
    expect(endpointName("https://states.eu-west-1.amazonaws.com")).toBe("https://states.eu-west-1.amazonaws.com:443");
    expect(endpointName("http://localhost/")).toBe("http://localhost:80");
    expect(endpointName("http://[::1]:9/")).toBe("http://[::1]:9");
  });

  it("never shows user info, path, query or fragment", () => {
    expect(endpointName("https://user:p%40ss@proxy.example.com:8443/aws?token=abc#frag")).toBe("https://proxy.example.com:8443");
    // Not a URL the WHATWG parser takes: the same parts are dropped all the same.
    expect(endpointName("http://user:secret@exa mple.com:1/x?token=abc")).toBe("http://exa mple.com:1");
    expect(endpointName("user:secret@localhost:4566/x")).toBe("localhost:4566");
  });

  it("neutralises terminal controls", () => {
    expect(rawControls(endpointName("http://127.0.0.1:1/\u001b[2J"))).toEqual([]);
    expect(rawControls(endpointName("http://ho\u001bst\u0007:1/"))).toEqual([]);
  });
});

describe("isLoopbackEndpoint", () => {
  it.each([
    ["http://127.0.0.1:4566", true],
    ["http://127.8.9.10:1", true],
    ["http://localhost:5000", true],
    ["http://LOCALHOST:5000", true],
    ["http://[::1]:5000", true],
    ["http://127.0.0.1.example.com", false],
    ["https://states.us-east-1.amazonaws.com", false],
    ["http://10.0.0.1:4566", false],
    ["not a url", false],
  ])("%s → %s", (endpoint, loopback) => {
    expect(isLoopbackEndpoint(endpoint)).toBe(loopback);
  });
});
