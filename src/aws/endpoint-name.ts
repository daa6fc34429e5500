// How an error names the endpoint a call went to. An endpoint URL can carry a user and password
// (`http://user:secret@host`) or a query: an error message is read over shoulders and pasted into
// tickets, so it shows the scheme, host and port only.
import { safeText } from "../lib/safe-text.js";

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443" };

/**
 * The endpoint as an error names it: `scheme://host:port`, the port written even when it is the
 * scheme's default, so the reader sees where the call went. Never the user info, path or query.
 * Neutralised for a terminal. Of a value that is not an http(s) URL, the same parts are kept.
 */
export function endpointName(endpoint: string): string {
  const url = parse(endpoint);
  if (!url) {
    const [, scheme = "", host = ""] = /^([a-z][a-z0-9+.-]*:\/\/)?(?:[^/?#]*@)?([^/?#]*)/i.exec(endpoint) ?? [];
    return safeText(`${scheme}${host}`);
  }
  const port = url.port || DEFAULT_PORTS[url.protocol] || "";
  return safeText(`${url.protocol}//${url.hostname}${port ? `:${port}` : ""}`);
}

/**
 * Whether the endpoint is on this machine (`localhost`, 127.0.0.0/8, `::1`): then it is most
 * likely a local emulator, such as `npm run sandbox`'s, and one that refuses connections has stopped.
 */
export function isLoopbackEndpoint(endpoint: string): boolean {
  const host = parse(endpoint)?.hostname.toLowerCase();
  if (!host) return false;
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host);
}

function parse(endpoint: string): URL | undefined {
  try {
    const url = new URL(endpoint);
    return Object.hasOwn(DEFAULT_PORTS, url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}
