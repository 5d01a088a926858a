// A scripted browser over plain HTTP: it follows the emulator's redirects, keeps its cookies, reads each page's forms
// and submits them as a user would (choose account, click through the warning, tick scopes, Allow or Cancel).
// It ends at the app's redirect URI (and GETs it, so a loopback callback server sees the code) or at a page Google
// renders instead (blocked). No browser needed: fast enough for unit tests and usable as $BROWSER.
import { decodeAuthError } from "../google/authError";
import { canonicalScope } from "../google/scopes";
import { registerSecret } from "../common/redact";
import type { PageKind } from "./pages";

export interface DriveOptions {
  /** The account to pick on the chooser (must exist in the emulator's state). */
  account: string;
  /** Allow (default) or Cancel on the consent page; "cancel" also takes "Back to safety" on the warning. */
  action?: "allow" | "cancel";
  /** Scopes (or aliases) to leave unticked when the consent page is granular; every other box is ticked. */
  uncheck?: readonly string[];
  /** Per-request timeout, default 10 s. */
  timeoutMs?: number;
  /**
   * GET the redirect URI at the end, as a browser would (default true). False stops at Google's redirect: the caller
   * delivers `url` itself, when it chooses (a test that must act between the consent and the app seeing the code).
   */
  deliver?: boolean;
}

export type ConsentOutcome =
  | {
      kind: "redirect";
      /** The redirect URI with Google's parameters (code, state, scope, … or error). */
      url: string;
      params: Record<string, string>;
      code?: string;
      state?: string;
      error?: string;
      scope?: string;
      /** The pages passed through, e.g. ["signin", "warning", "consent"]. */
      pages: PageKind[];
      /** The final GET to the redirect URI (only http/https); `error` when it could not be reached. */
      callback?: { status: number; body: string } | { error: string };
    }
  | {
      kind: "blocked";
      /** Google's error code: access_denied, org_internal, redirect_uri_mismatch, invalid_client, … */
      error: string;
      httpCode?: number;
      title: string;
      message: string;
      details: Record<string, string>;
      url: string;
      pages: PageKind[];
    }
  | { kind: "failed"; reason: string; url: string; status?: number; pages: PageKind[] };

interface FormField {
  tag: string;
  type: string;
  name?: string;
  value: string;
  id?: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, n: string) => ENTITIES[n]);

function attrs(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) out[m[1].toLowerCase()] = decodeEntities(m[2] ?? "");
  return out;
}

function findForm(page: string, id: string): { action: string; fields: FormField[] } | undefined {
  const m = new RegExp(`<form\\b([^>]*\\bid="${id}"[^>]*)>([\\s\\S]*?)</form>`).exec(page);
  if (!m) return undefined;
  const fields = [...m[2].matchAll(/<(input|button)\b([^>]*)>/g)].map((f) => {
    const a = attrs(f[2]);
    return {
      tag: f[1],
      type: a.type ?? (f[1] === "button" ? "submit" : "text"),
      name: a.name,
      value: a.value ?? "",
      id: a.id,
    };
  });
  return { action: attrs(m[1]).action ?? "", fields };
}

/** The form data a browser sends when `buttonId` is clicked: hidden fields, ticked boxes, the button itself. */
function formData(form: { fields: FormField[] }, buttonId: string, tick: (f: FormField) => boolean): URLSearchParams {
  const data = new URLSearchParams();
  for (const f of form.fields) {
    if (!f.name) continue;
    if (f.type === "hidden") data.append(f.name, f.value);
    else if (f.type === "checkbox" && tick(f)) data.append(f.name, f.value);
    else if (f.type === "submit" && f.id === buttonId) data.append(f.name, f.value);
  }
  return data;
}

function text(page: string, id: string): string {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(page);
  return m ? decodeEntities(m[1].replace(/<[^>]+>/g, "")).trim() : "";
}

export async function driveConsent(authorizeUrl: string, opts: DriveOptions): Promise<ConsentOutcome> {
  const origin = new URL(authorizeUrl).origin;
  const cookies = new Map<string, string>();
  const pages: PageKind[] = [];
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const uncheck = new Set((opts.uncheck ?? []).map(canonicalScope));
  let url = authorizeUrl;
  let init: { method: string; body?: string } = { method: "GET" };

  for (let hop = 0; hop < 30; hop++) {
    const headers: Record<string, string> = {};
    if (cookies.size) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (init.body) headers["content-type"] = "application/x-www-form-urlencoded";
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      return { kind: "failed", reason: `request failed: ${(e as Error).message}`, url, pages };
    }
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair.indexOf("=");
      if (i > 0) cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    const location = res.headers.get("location");
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin === origin) {
        url = next.toString();
        init = { method: "GET" };
        continue;
      }
      return finish(next, pages, timeoutMs, opts.deliver !== false);
    }
    const page = await res.text();
    const kind = /<meta name="emulator-page" content="([a-z]+)">/.exec(page)?.[1] as PageKind | undefined;
    if (!kind)
      return { kind: "failed", reason: `HTTP ${res.status} with no emulator page`, url, status: res.status, pages };
    pages.push(kind);
    const submit = (formId: string, buttonId: string, tick: (f: FormField) => boolean = () => false) => {
      const form = findForm(page, formId);
      if (!form) return undefined;
      url = new URL(form.action, url).toString();
      init = { method: "POST", body: formData(form, buttonId, tick).toString() };
      return true;
    };
    if (kind === "error") return blocked(page, url, pages);
    let ok: true | undefined;
    if (kind === "signin") {
      if (pages.filter((p) => p === "signin").length > 1 && page.includes('id="identifier-error"')) {
        return {
          kind: "failed",
          reason: `the emulator has no account ${opts.account}: ${text(page, "identifier-error")}`,
          url,
          pages,
        };
      }
      const form = findForm(page, "account-chooser");
      const button = form?.fields.find(
        (f) => f.name === "account" && f.value.toLowerCase() === opts.account.toLowerCase(),
      );
      // Click the account's button when listed, otherwise type it, as a user would.
      if (button?.id) ok = submit("account-chooser", button.id);
      else if (form) {
        url = new URL(form.action, url).toString();
        const data = formData(form, "identifierNext", () => false);
        data.set("identifier", opts.account);
        init = { method: "POST", body: data.toString() };
        ok = true;
      }
    } else if (kind === "warning") {
      ok = submit("unverified-warning", opts.action === "cancel" ? "back-to-safety" : "proceed-link");
    } else if (kind === "consent") {
      ok = submit(
        "consent-form",
        opts.action === "cancel" ? "submit_deny_access" : "submit_approve_access",
        (f) => f.name === "scope" && !uncheck.has(canonicalScope(f.value)),
      );
    }
    if (!ok) return { kind: "failed", reason: `the ${kind} page has no form to submit`, url, pages };
  }
  return { kind: "failed", reason: "more than 30 redirects or pages (a redirect loop?)", url, pages };
}

function blocked(page: string, url: string, pages: PageKind[]): ConsentOutcome {
  const encoded = new URL(url).searchParams.get("authError");
  let decoded: ReturnType<typeof decodeAuthError> | undefined;
  try {
    decoded = encoded ? decodeAuthError(encoded) : undefined;
  } catch {
    decoded = undefined;
  }
  const code = /<meta name="error-code" content="([^"]*)">/.exec(page)?.[1] ?? "unknown";
  return {
    kind: "blocked",
    error: decoded?.error ?? code,
    httpCode: decoded?.httpCode,
    title: text(page, "error-title"),
    message: text(page, "error-message"),
    details: decoded?.details ?? {},
    url,
    pages,
  };
}

async function finish(target: URL, pages: PageKind[], timeoutMs: number, deliver: boolean): Promise<ConsentOutcome> {
  const params = Object.fromEntries(target.searchParams);
  if (params.code) registerSecret(params.code);
  const out: ConsentOutcome = {
    kind: "redirect",
    url: target.toString(),
    params,
    code: params.code,
    state: params.state,
    error: params.error,
    scope: params.scope,
    pages,
  };
  if (deliver && (target.protocol === "http:" || target.protocol === "https:")) {
    try {
      const res = await fetch(target, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      out.callback = { status: res.status, body: (await res.text()).slice(0, 65_536) };
    } catch (e) {
      out.callback = { error: (e as Error).message };
    }
  }
  return out;
}
