// Google's redirect URI registration rules and exact-match semantics (google-behaviour.md §8.1, §8.2, §1.2).
// Pure functions: the spec parser, the validator and the emulator all judge URIs here.

export type ClientKind = "web" | "desktop";

export interface UriProblem {
  /** A diagnosis code from the catalogue. */
  readonly code: "redirect_uri_invalid" | "custom_scheme_on_web_client" | "oob_flow_blocked";
  readonly message: string;
  readonly fix: string;
}

export const OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob";

// Not on the public suffix list, so Google refuses them. This list of reserved and private-use names is ours: an
// approximation of the public suffix list (which we do not ship), so a made-up TLD it lacks passes here.
const NON_PUBLIC_TLDS = new Set([
  "local",
  "lan",
  "internal",
  "localdomain",
  "localhost",
  "home",
  "corp",
  "intranet",
  "private",
  "test",
  "example",
  "invalid",
  "arpa",
]);
const URL_SHORTENERS = new Set(["bit.ly", "goo.gl", "tinyurl.com", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly"]);

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

function isIpLiteral(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith("[");
}

export function isLoopbackUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === "http:" && isLoopbackHost(u.hostname);
  } catch {
    return false;
  }
}

function hasBadPercentEncoding(raw: string): boolean {
  return /%(?![0-9A-Fa-f]{2})/.test(raw);
}

/**
 * Every rule Google applies when a redirect URI is registered on a Web client, plus the request-time
 * refusals (OOB, custom scheme on Web). An empty array means Google would accept it.
 */
export function redirectUriProblems(raw: string, kind: ClientKind = "web"): UriProblem[] {
  const problems: UriProblem[] = [];
  const invalid = (message: string, fix: string) => problems.push({ code: "redirect_uri_invalid", message, fix });

  if (raw === OOB_REDIRECT_URI || raw.startsWith(`${OOB_REDIRECT_URI}:`)) {
    return [
      {
        code: "oob_flow_blocked",
        message: "the out-of-band (OOB) flow is blocked by Google for every client type",
        fix: "use a loopback redirect (http://127.0.0.1:PORT/) for a Desktop client, or an https redirect URI on a Web client",
      },
    ];
  }
  if (raw.trim() !== raw || raw.length === 0)
    return [
      { code: "redirect_uri_invalid", message: "empty, or has leading or trailing spaces", fix: "remove the spaces" },
    ];
  // Checked on the raw text: URL parsing would percent-encode these away.
  if (/[\x00-\x1f\x7f]/.test(raw))
    invalid("contains control or null characters", "remove the non-printable characters");
  if (raw.includes("*"))
    invalid("wildcards ('*') are not allowed", "register each exact URI; Google has no wildcard matching");
  if (hasBadPercentEncoding(raw)) invalid("has an invalid percent-encoding", "encode '%' as %25 or fix the escape");
  if (/\/\.\.|\\\.\./.test(raw)) invalid("contains a path traversal ('/..')", "use the resolved path");
  if (raw.includes("#")) invalid("has a fragment ('#…'); Google refuses fragments", "remove everything from '#'");

  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    problems.push({
      code: "redirect_uri_invalid",
      message: "is not an absolute URL",
      fix: "write it as https://host/path",
    });
    return problems;
  }
  const scheme = u.protocol.replace(/:$/, "");
  if (scheme !== "http" && scheme !== "https") {
    if (kind === "web") {
      problems.push({
        code: "custom_scheme_on_web_client",
        message: `custom scheme '${scheme}:' is not allowed for a Web client ("Custom scheme URIs are not allowed for 'WEB' client type")`,
        fix: "use an https:// redirect URI, or a Desktop client with a loopback redirect",
      });
    } else {
      problems.push({
        code: "redirect_uri_invalid",
        message: `custom scheme '${scheme}:' is no longer supported; Desktop clients use a loopback redirect`,
        fix: "use http://127.0.0.1:PORT/ and listen on that port",
      });
    }
    return problems;
  }
  const host = u.hostname.toLowerCase();
  const loopback = isLoopbackHost(host);
  if (u.username || u.password) invalid("contains user info ('user@host')", "remove the part before '@'");
  if (scheme === "http" && !loopback)
    invalid("http is only allowed for localhost", `use https://${u.host}${u.pathname === "/" ? "/" : u.pathname}`);
  if (!loopback) {
    if (isIpLiteral(host))
      invalid(
        "hosts cannot be raw IP addresses (only loopback IPs are exempt)",
        "use a domain name that resolves to this address",
      );
    else {
      const labels = host.split(".");
      const tld = labels[labels.length - 1] ?? "";
      if (labels.length < 2 || !/^[a-z][a-z0-9-]*$/.test(tld) || NON_PUBLIC_TLDS.has(tld)) {
        invalid(
          `'${host}' does not end in a public top-level domain`,
          "use a host under a public domain (e.g. mail.example.com), or localhost for development",
        );
      }
      if (host === "googleusercontent.com" || host.endsWith(".googleusercontent.com"))
        invalid("googleusercontent.com hosts are not allowed", "host the callback on your own domain");
      if (URL_SHORTENERS.has(host) && !u.pathname.includes("/google-callback/"))
        invalid(
          "URL shorteners are not allowed (unless owned, with /google-callback/ in the path)",
          "use the real callback URL",
        );
    }
  }
  return problems;
}

/** JavaScript origins follow the same rules, and also carry no path and no query (google-behaviour.md §8.1). */
export function javascriptOriginProblems(raw: string): UriProblem[] {
  const problems = redirectUriProblems(raw, "web").filter(
    (p) => p.code === "redirect_uri_invalid" || p.code === "custom_scheme_on_web_client",
  );
  try {
    const u = new URL(raw);
    if ((u.pathname !== "/" && u.pathname !== "") || raw.endsWith("/"))
      problems.push({
        code: "redirect_uri_invalid",
        message: "an origin has no path (not even a trailing '/')",
        fix: `use ${u.origin}`,
      });
    if (u.search)
      problems.push({ code: "redirect_uri_invalid", message: "an origin has no query", fix: `use ${u.origin}` });
  } catch {
    /* already reported */
  }
  return problems;
}

/**
 * Google compares redirect URIs exactly: scheme, case, trailing slash and port all count (google-behaviour.md §8.1).
 * Desktop clients accept any loopback port and path (google-behaviour.md §8.2; the path part is UNCONFIRMED, treated as accepted).
 */
export function redirectUriMatches(requested: string, registered: readonly string[], kind: ClientKind): boolean {
  if (kind === "desktop") return isLoopbackUri(requested);
  return registered.includes(requested);
}

/**
 * When a URI is not registered, the nearest registered one and what differs, so a diagnosis can say
 * "registered with a trailing slash" instead of just "mismatch".
 */
export function explainMismatch(
  requested: string,
  registered: readonly string[],
): { nearest: string; difference: string } | undefined {
  let best: { nearest: string; difference: string; score: number } | undefined;
  for (const candidate of registered) {
    const d = describeDifference(requested, candidate);
    if (d && (!best || d.score < best.score)) best = { nearest: candidate, difference: d.text, score: d.score };
  }
  return best && { nearest: best.nearest, difference: best.difference };
}

function describeDifference(a: string, b: string): { text: string; score: number } | undefined {
  let ua: URL, ub: URL;
  try {
    ua = new URL(a);
    ub = new URL(b);
  } catch {
    return undefined;
  }
  const diffs: string[] = [];
  if (ua.protocol !== ub.protocol)
    diffs.push(`scheme differs (${ua.protocol.slice(0, -1)} vs ${ub.protocol.slice(0, -1)})`);
  if (ua.hostname !== ub.hostname) {
    if (ua.hostname.toLowerCase() === ub.hostname.toLowerCase()) diffs.push("host differs in letter case");
    else diffs.push(`host differs (${ua.hostname} vs ${ub.hostname})`);
  }
  if (ua.port !== ub.port) diffs.push(`port differs (${ua.port || "default"} vs ${ub.port || "default"})`);
  const pa = ua.pathname,
    pb = ub.pathname;
  if (pa !== pb) {
    if (pa.replace(/\/$/, "") === pb.replace(/\/$/, ""))
      diffs.push(
        pb.endsWith("/") ? "the registered URI has a trailing slash" : "the registered URI lacks the trailing slash",
      );
    else if (pa.toLowerCase() === pb.toLowerCase()) diffs.push("path differs in letter case");
    else diffs.push(`path differs (${pa} vs ${pb})`);
  }
  if (ua.search !== ub.search) diffs.push("query differs");
  if (diffs.length === 0) return undefined;
  // Same host and a single small difference is the classic typo; rank it first.
  const score = diffs.length + (ua.hostname.toLowerCase() !== ub.hostname.toLowerCase() ? 10 : 0);
  return { text: diffs.join("; "), score };
}
