import { expect } from "vitest";

/**
 * Open an approval link as a browser does (the page shows the execution and decides nothing on GET),
 * then submit the page's form with `action`. Returns the status of the POST.
 */
export async function decideOnPage(link: string, action: "approve" | "reject"): Promise<number> {
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const html = await page.text();
  const fields = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [
      m[1],
      (m[2] ?? "").replace(/&#(\d+);/g, (_s, c) => String.fromCharCode(Number(c))),
    ]),
  );
  const answer = await fetch(link.slice(0, link.indexOf("?")), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, action }).toString(),
  });
  return answer.status;
}
