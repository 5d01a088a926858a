// The Google-rendered pages: account chooser, unverified-app warning, consent, and /signin/oauth/error. Plain HTML
// forms with stable ids (docs/emulator.md lists them) so a real browser and the HTTP browser drive the same pages.
// Every page carries <meta name="emulator-page"> so a script can tell where it is without scraping wording.
import type { AuthError } from "../google/authError";
import { scopeInfo } from "../google/scopes";
import type { Account } from "./store/records";
import { escapeHtml as e } from "../common/html";

export type PageKind = "signin" | "warning" | "consent" | "error";

function layout(kind: PageKind, title: string, body: string, extraMeta = ""): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="emulator-page" content="${kind}">${extraMeta}
<title>${e(title)}</title>
<style>body{font-family:Roboto,Arial,sans-serif;max-width:480px;margin:40px auto;color:#202124}
.card{border:1px solid #dadce0;border-radius:8px;padding:24px}button{margin:4px;padding:8px 16px}
.account{display:block;width:100%;text-align:left}.muted{color:#5f6368;font-size:90%}</style></head>
<body><div class="card"><div class="muted">Sign in with Google (emulator)</div>
${body}
</div></body></html>`;
}

const hidden = (q: string) => `<input type="hidden" name="q" value="${e(q)}">`;

export function chooserPage(opts: {
  q: string;
  appName: string;
  accounts: readonly Account[];
  loginHint?: string;
  problem?: string;
}): string {
  const hint = opts.loginHint?.toLowerCase();
  // The hinted account goes first and takes focus: Google pre-selects the login_hint session (google-behaviour.md §1.4).
  const ordered = [...opts.accounts].sort((a, b) => Number(b.email === hint) - Number(a.email === hint));
  const buttons = ordered
    .map(
      (a, i) =>
        `<button type="submit" class="account${a.email === hint ? " selected" : ""}" id="account-${i}" name="account" value="${e(a.email)}" data-email="${e(a.email)}"${a.email === hint ? " autofocus" : ""}>${e(a.email)}</button>`,
    )
    .join("\n");
  return layout(
    "signin",
    "Sign in - Google Accounts",
    `<h1 id="headingText">Choose an account</h1><p>to continue to <span id="app-name">${e(opts.appName)}</span></p>
${opts.problem ? `<p id="identifier-error" role="alert">${e(opts.problem)}</p>` : ""}
<form id="account-chooser" method="post" action="/v3/signin/identifier">${hidden(opts.q)}
<div id="account-list">${buttons}</div>
<label for="identifierId">Email or phone</label>
<input type="email" id="identifierId" name="identifier" value="${e(opts.loginHint ?? "")}" autocomplete="username">
<button type="submit" id="identifierNext" name="next" value="1">Next</button>
</form>`,
  );
}

/**
 * The unverified-app screen. The facts quote only its click-through path, "Advanced > Go to {Project Name} (unsafe)"
 * (§7); the title, the message and "Back to safety" are inferred. The developer shown is the app's support email; with
 * none in the state the parenthesis is left out (inferred).
 */
export function warningPage(opts: { q: string; appName: string; email?: string }): string {
  const developer = opts.email ? `the developer (${e(opts.email)})` : "the developer";
  return layout(
    "warning",
    "Google hasn’t verified this app",
    `<h1 id="warning-title">Google hasn’t verified this app</h1>
<p id="warning-message">The app is requesting access to sensitive info in your Google Account. Until ${developer} verifies this app with Google, you shouldn't use it.</p>
<form id="unverified-warning" method="post" action="/signin/oauth/warning">${hidden(opts.q)}
<button type="submit" id="back-to-safety" name="action" value="cancel">Back to safety</button>
<details id="advanced-details"><summary id="advanced">Advanced</summary>
<p>Continue only if you understand the risks and trust the developer.</p>
<button type="submit" id="proceed-link" name="action" value="continue">Go to ${e(opts.appName)} (unsafe)</button>
</details></form>`,
  );
}

function scopeLabel(scope: string): string {
  return scopeInfo(scope)?.description ?? scope;
}

export function consentPage(opts: {
  q: string;
  shownName: string;
  email: string;
  identityScopes: readonly string[];
  otherScopes: readonly string[];
}): string {
  const identity = opts.identityScopes
    .map((s) => `<li class="identity-scope" data-scope="${e(s)}">${e(scopeLabel(s))}</li>`)
    .join("");
  // Granular consent only when more than one non-Sign-In scope is asked (google-behaviour.md §1.4). The boxes start unticked: the
  // facts say users "may grant a subset" but not how the boxes start, so that is inferred.
  const granular = opts.otherScopes.length > 1;
  const others = granular
    ? `<label><input type="checkbox" id="select-all" name="select_all" value="1"> Select all</label>
<ul id="scope-list">${opts.otherScopes.map((s, i) => `<li><input type="checkbox" id="scope-${i}" name="scope" value="${e(s)}" data-scope="${e(s)}"><label for="scope-${i}">${e(scopeLabel(s))} <span class="muted">${e(s)}</span></label></li>`).join("\n")}</ul>
<script>(function(){var all=document.getElementById("select-all");var boxes=[].slice.call(document.querySelectorAll("input[name=scope]"));
all.addEventListener("change",function(){boxes.forEach(function(b){b.checked=all.checked;});});
boxes.forEach(function(b){b.addEventListener("change",function(){all.checked=boxes.every(function(x){return x.checked;});});});})();</script>`
    : `<ul id="scope-list">${opts.otherScopes.map((s) => `<li class="scope" data-scope="${e(s)}">${e(scopeLabel(s))} <span class="muted">${e(s)}</span></li>`).join("")}</ul>`;
  return layout(
    "consent",
    `${opts.shownName} wants access to your Google Account`,
    `<h1 id="consent-title"><span id="app-name">${e(opts.shownName)}</span> wants access to your Google Account</h1>
<div id="account-email">${e(opts.email)}</div>
<form id="consent-form" method="post" action="/signin/oauth/consent">${hidden(opts.q)}
${identity ? `<ul id="identity-scopes">${identity}</ul>` : ""}
${opts.otherScopes.length ? `<p>${granular ? "Select what it can access" : "This will allow it to"}:</p>${others}` : ""}
<button type="submit" id="submit_deny_access" name="action" value="deny">Cancel</button>
<button type="submit" id="submit_approve_access" name="action" value="allow">Allow</button>
</form>`,
  );
}

/**
 * Page titles. invalid_client, access_denied and the request-invalid fallback are quoted in google-behaviour.md §1.2; the
 * disabled_client title is observed in pasted pages; the deleted_client and org_internal titles are inferred (org_internal spelt "organization", as Google's own message is).
 */
const TITLES: Record<string, (app: string) => string> = {
  invalid_client: () => "Access blocked: authorisation error",
  deleted_client: () => "Access blocked: authorisation error",
  disabled_client: () => "Sign in with Google temporarily disabled for this app",
  access_denied: (app) => `Access blocked: ${app} has not completed the Google verification process`,
  org_internal: (app) => `Access blocked: ${app} can only be used within its organization`,
};

/** Google's error page for a decoded authError: title, "Error NNN: code", message and "Request details". */
export function errorPage(err: AuthError, appName: string): string {
  const title = (TITLES[err.error] ?? (() => "Access blocked: This app's request is invalid"))(appName);
  const details = Object.entries(err.details)
    .map(([k, v]) => `<p class="request-detail" data-key="${e(k)}">${e(k)}=${e(v)}</p>`)
    .join("\n");
  return layout(
    "error",
    title,
    `<h1 id="error-title">${e(title)}</h1>
<p id="error-message">${e(err.message ?? "")}</p>
<p id="error-code">Error ${err.httpCode ?? 400}: ${e(err.error)}</p>
${err.helpUrl ? `<p><a id="error-help" href="${e(err.helpUrl)}">Learn more about this error</a></p>` : ""}
<div id="request-details"><p>Request details:</p>${details}</div>`,
    `<meta name="error-code" content="${e(err.error)}"><meta name="error-status" content="${err.httpCode ?? 400}">`,
  );
}

export function brokenErrorPage(): string {
  return layout(
    "error",
    "Something went wrong",
    `<h1 id="error-title">Something went wrong</h1><p id="error-message">Sorry, something went wrong there. Try again.</p>`,
    `<meta name="error-code" content="unknown">`,
  );
}
