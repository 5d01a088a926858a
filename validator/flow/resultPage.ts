// The plain page the person sees after Google redirects back. It never carries the code, state or any token:
// only what happened and where to look next (the terminal).
import { escapeHtml } from "../../common/html";

export type PageKind = "received" | "denied" | "error" | "refused" | "not_found";

const HEADINGS: Record<PageKind, string> = {
  received: "Consent received",
  denied: "Consent was denied",
  error: "Google returned an error",
  refused: "Callback refused",
  not_found: "Not found",
};

export function resultPage(kind: PageKind, message: string): string {
  const heading = HEADINGS[kind];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gmail-oauth validator: ${escapeHtml(heading)}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1 id="result" data-result="${kind}">${escapeHtml(heading)}</h1>
<p id="message">${escapeHtml(message)}</p>
<p>You can close this tab. The results are in the terminal where <code>gmail-oauth</code> runs.</p>
</body></html>
`;
}

/** Headers for every answer of the loopback server: no caching, no referrer carrying the code onwards, no scripts. */
export const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "x-content-type-options": "nosniff",
  connection: "close",
} as const;
