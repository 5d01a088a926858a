// The facts an error text carries, read from whatever shape it arrived in: Google's pages in any language, token and
// API JSON bodies, and every client library's wrapper around them (Python RefreshError tuples and HttpError lines,
// Node GaxiosError, Go oauth2, Java, PHP and Guzzle, Ruby Signet, .NET RequestError, oauth2client's glued strings),
// escaped inside logs and other JSON. The rule table (validator/diagnosisRules.ts) decides on these facts only.
import { CLIENT_ID_IN_TEXT } from "../google/identifiers";
import { OOB_REDIRECT_URI } from "../google/redirectUris";

/** One fact and where it was read: the basis of `explain`'s evidence. */
export interface Evidence {
  readonly signal: string;
  readonly value: string;
  /** The line of the (unescaped) input it was read from. */
  readonly line?: string;
}

export type Grant = "authorization_code" | "refresh_token" | "jwt_bearer";
export type Endpoint = "authorize" | "callback" | "token" | "api" | "tokeninfo" | "revoke" | "smtp" | "imap";
export type NetworkFailure = "dns" | "tls" | "proxy" | "timeout" | "reset" | "refused" | "unreachable";

export interface Signals {
  /** The OAuth error code (`invalid_grant`, `redirect_uri_mismatch`, `org_internal` …). */
  readonly error?: string;
  /** Where the code was read: a rendered Google page names it after "Error 400:", a body carries it as a field. */
  readonly errorFrom?: "page" | "field" | "library" | "callback" | "bare";
  readonly description?: string;
  readonly subtype?: string;
  readonly httpStatus?: number;
  /** API `reason`s and `status` (accessNotConfigured, ACCESS_TOKEN_SCOPE_INSUFFICIENT, RESOURCE_EXHAUSTED …). */
  readonly reasons: readonly string[];
  readonly endpoint?: Endpoint;
  /** The Google API named (`gmail`, `calendar`, `drive`, …), from a service name, a URL or "<X> API has not been used". */
  readonly api?: string;
  readonly grant?: Grant;
  /** The client library or tool whose wrapper the text came in. */
  readonly library?: string;
  readonly requestDetails: Readonly<Record<string, string>>;
  readonly scopes: readonly string[];
  readonly redirectUri?: string;
  readonly clientId?: string;
  readonly projectNumber?: string;
  readonly activationUrl?: string;
  readonly network?: NetworkFailure;
  /** The host:port a failed connection was aimed at. */
  readonly target?: string;
  readonly smtpCode?: number;
  readonly mechanism?: "xoauth2" | "password";
  /** The whole input, unescaped, for the rules' wording checks. */
  readonly text: string;
  readonly evidence: readonly Evidence[];
}

/** Every error code Google's OAuth endpoints and pages are known to use (facts §1.2, §2.3, §4). */
export const OAUTH_ERROR_CODES = [
  "invalid_grant",
  "invalid_client",
  "deleted_client",
  "disabled_client",
  "unauthorized_client",
  "redirect_uri_mismatch",
  "invalid_request",
  "invalid_scope",
  "access_denied",
  "invalid_token",
  "org_internal",
  "admin_policy_enforced",
  "disallowed_useragent",
  "rate_limit_exceeded",
  "internal_failure",
  "unsupported_grant_type",
] as const;

const CODES = OAUTH_ERROR_CODES.join("|");
const ERROR_WORD = "(?:error|erreur|fehler|errore|erro|error de|fout|błąd|hata|ошибка|오류|エラー|错误|錯誤)";

/**
 * Undo the escaping an error picks up on its way to a person: JSON inside JSON strings, HTML entities, Python and
 * PHP string escapes, `<br/>` line breaks, and typographic apostrophes.
 */
export function unescapeText(input: string): string {
  let t = input;
  for (let i = 0; i < 3 && /\\\\?[n"'t]|\\u00[0-9a-f]{2}/i.test(t); i++) {
    t = t
      .replace(/\\\\(?=[nrt"'\\u])/g, "\\")
      .replace(/\\r\\n|\\n|\\r/g, "\n")
      .replace(/\\t/g, "\t")
      .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/\\(["'])/g, "$1");
  }
  return t
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;|&#x27;|&apos;/g, "'")
    .replace(/&amp;(?:amp;)?/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\\(\d{3})\\(\d{3})\\(\d{3})/g, "'");
}

function lineOf(text: string, index: number): string {
  const start = text.lastIndexOf("\n", index) + 1;
  const end = text.indexOf("\n", index);
  const line = text.slice(start, end < 0 ? undefined : end).trim();
  return line.length > 200 ? `${line.slice(0, 197)}…` : line;
}

interface Found {
  readonly value: string;
  readonly index: number;
}

function first(text: string, re: RegExp, group = 1): Found | undefined {
  const m = re.exec(text);
  return m?.[group] !== undefined ? { value: m[group]!, index: m.index } : undefined;
}

const PAGE_CODE = [
  new RegExp(`${ERROR_WORD}\\s*(\\d{3})\\s*:\\s*(${CODES})\\b`, "i"),
  // "400 Error: x" on one line; not "ttl=300" at the end of the line above an "Error: x".
  new RegExp(`(?<![\\w=.:/-])(\\d{3})[ \\t]*${ERROR_WORD}\\s*:\\s*(${CODES})\\b`, "i"),
];
/** Google's pre-2021 page: "400. That's an error." then "Error: invalid_request". */
const OLD_PAGE_CODE = new RegExp(`(?:^|\\n|\\s)Error:\\s*(${CODES})\\b`, "i");
const OLD_PAGE = /That'?s an error|Request Details|That'?s all we know/i;
/** `"error": "invalid_grant"`, `'error' => 'x'`, `error: 'x'`, `Error:"x"` (.NET), `error=x`: a key or a value in quotes. */
const FIELD_CODE = new RegExp(
  `(?:["'\\[]error["'\\]]\\s*(?:=>|[:=])\\s*(?:string\\(\\d+\\)\\s*)?["']?|\\berror\\s*(?:=>|:)\\s*["']|\\berror=)(${CODES})\\b`,
  "i",
);
const LIBRARY_CODE = [
  // google-auth RefreshError / oauthlib / oauth2client / Signet / .NET / GAM: "invalid_grant: Bad Request", "(invalid_grant) …"
  new RegExp(`\\((${CODES})\\)\\s*([^'"\\n})]*)`),
  // oauth2client glues code and description together: "invalid_clientUnauthorized", "invalid_grantMalformed auth code."
  new RegExp(`\\b(${CODES})(?=[A-Z])([A-Z][^'"\\n{}]*)`),
  new RegExp(`\\b(${CODES})\\b(?:\\s*:\\s*|\\s+-\\s+)([^'"\\n{}]*)`),
];
const BARE_CODE = new RegExp(`\\b(${CODES})\\b`);
const DESCRIPTION = [
  /["'[]?\berror_description["'\]]?\s*(?:=>|[:=])\s*(?:string\(\d+\)\s*)?["']((?:[^"'\\\n]|\\.)*)["']/i,
  /\berror_description=([^,\n&]+)/i,
  /\bDescription\s*:\s*"([^"\n]*)"/,
];
const SUBTYPE = /\berror_subtype["']?\s*(?:=>|[:=])\s*["']?([a-z_]+)|\b(invalid_rapt|rapt_required)\b/i;

/** API reasons and statuses distinctive enough to count wherever they appear (GAM's "- insufficientPermissions"). */
const REASONS_ANYWHERE = [
  "accessNotConfigured",
  "SERVICE_DISABLED",
  "insufficientPermissions",
  "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
  "userRateLimitExceeded",
  "rateLimitExceeded",
  "RATE_LIMIT_EXCEEDED",
  "dailyLimitExceeded",
  "backendError",
  "failedPrecondition",
  "FAILED_PRECONDITION",
  "CREDENTIALS_MISSING",
  "AUTH_PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "UNAUTHENTICATED",
];
/** Common words that are a reason only in a reason or status field ("authError" is also part of Google's error URL). */
const REASONS_IN_FIELDS = [
  "authError",
  "notFound",
  "NOT_FOUND",
  "forbidden",
  "badRequest",
  "invalidArgument",
  "required",
  "PERMISSION_DENIED",
  "UNAVAILABLE",
  "INTERNAL",
  "internalError",
  "quotaExceeded",
];
const ALL_REASONS = [...REASONS_ANYWHERE, ...REASONS_IN_FIELDS].join("|");
const REASON = new RegExp(
  `(?:\\breason|\\bstatus|Reason\\[)["']?\\s*[:=]?\\s*["']?(${ALL_REASONS})\\b|googleapi: Error \\d{3}: [^,\\n]*, (${ALL_REASONS})\\b|\\b(${REASONS_ANYWHERE.join("|")})\\b`,
  "g",
);

const STATUS = [
  new RegExp(`${ERROR_WORD}\\s*(\\d{3})\\s*:`, "i"),
  /\bHttpError (\d{3})\b/,
  /["']?\bcode["']?\s*[:=]\s*(\d{3})\b/,
  /\b(\d{3}) (?:Bad Request|Unauthorized|Forbidden|Not Found|Internal Server Error|Bad Gateway|Service Unavailable|Too Many Requests|Server Error)\b/i,
  /\[(\d{3})(?:=[A-Za-z]+)?\]/,
  /\bstatus(?:Code)?["']?\s*[:=]\s*["']?(\d{3})\b/i,
  /\b(?:HTTP|status code:?|Error)\s+(\d{3})\b/i,
  /^\s*(\d{3})[.:]\s*That/m,
  /\((\d{3})\)/,
];

/** A pasted request's key=value details: "Request details: redirect_uri=… flowName=…", one per line or on one line. */
function readRequestDetails(text: string): Record<string, string> {
  const details: Record<string, string> = {};
  const start = text.search(
    /Request [Dd]etails|요청 세부정보|Detalles de la solicitud|Anfragedetails|Détails de la requête|リクエストの詳細/,
  );
  const from = start >= 0 ? text.slice(start) : text;
  const re =
    /(?:^|[\s>])(access_type|approval_prompt|login_hint|response_type|redirect_uri|client_id|scope|state|prompt|flowName|hd|code_challenge_method|include_granted_scopes|o2v)\s*[=:]\s*([^\s]+(?:(?<=scope[=:]\s*\S*)\s+(?:https?:\/\/\S+|openid|email|profile))*)/g;
  for (const m of from.matchAll(re)) {
    const key = m[1]!;
    if (details[key] === undefined && (start >= 0 || key === "redirect_uri" || key === "client_id"))
      details[key] = m[2]!.replace(/[`'"]+$/, "");
  }
  return details;
}

const SCOPE = /https:\/\/(?:www\.googleapis\.com\/auth\/[a-z][\w.-]*|mail\.google\.com\/?)/g;

/** The Google API a text names, normalised to its service prefix (`gmail`, `calendar`, `drive` …). */
function readApi(text: string): Found | undefined {
  const named = first(text, /(?:^|[^\w])([A-Z][\w ]{1,40}?) API has not been used in project/);
  if (named)
    return {
      value: named.value
        .replace(/^Google\s+/i, "")
        .split(" ")[0]!
        .toLowerCase(),
      index: named.index,
    };
  const service = first(text, /\b(?!oauth2|www|accounts)([a-z][a-z0-9-]*)\.googleapis\.com(?!\/token)/);
  if (service) return { value: service.value.replace(/-json$/, ""), index: service.index };
  const path = first(
    text,
    /googleapis\.com\/(gmail|drive|calendar|analytics|youtube|sheets|tasks|admin|people|webmasters)\//,
  );
  if (path) return path;
  const title = first(
    text,
    /\b(Gmail|Google Drive|Drive|Calendar|Sheets|Analytics|YouTube|People|Tasks)\b(?=[^\n]{0,40}\bAPI\b)/,
  );
  return title ? { value: title.value.replace(/^Google\s+/, "").toLowerCase(), index: title.index } : undefined;
}

/** What a wrapper or a stack says about which grant failed: a refresh, a code exchange, or a service account's JWT. */
function readGrant(text: string): Found | undefined {
  const jwt = first(
    text,
    /(urn:ietf:params:oauth:grant-type:jwt-bearer|\bJWT\.(?:requestAsync|authorize)|refreshTokenWithAssertion|ServiceAccountCredentials|with_subject|setSubject|Invalid JWT|service[_ ]account)/i,
  );
  if (jwt) return { value: "jwt_bearer", index: jwt.index };
  const exchange = first(
    text,
    /(\bgetToken\b|get_token|\bstep2_exchange\b|fetchAccessTokenWithAuthCode|grant_type=authorization_code|exchange (?:the )?(?:auth(?:orization)? )?code|Failed to exchange|Token exchange failed|exchanging code|Unable to retrieve token from web|[?&]code=4(?:\/|%2F|%252F)|flow\.fetch_token|run_console|Code was already redeemed|Enter (?:the )?(?:authorization|verification) code|getTokenAsync)/i,
  );
  const refresh = first(
    text,
    /(RefreshError|refreshTokenNoCache|refreshAccessToken|refresh_grant|creds\.refresh|\.refresh\(|grant_type=refresh_token|--refresh[-_]token|HttpAccessTokenRefreshError|Failed to refresh|refresh(?:ing)? (?:the )?(?:OAuth2? |access )?token|fetch_access_token|Could not refresh|getValidOauth2TxtCredentials|refresh!|Error refreshing)/i,
  );
  // Go's oauth2 transport refreshes inside an API call: "Get https://…: oauth2: cannot fetch token".
  const goTransport = first(text, /\b(?:Get|Post) "?https:\/\/[^\s]+"?: oauth2: cannot fetch token/);
  const tuple = first(
    text,
    /\('(?:invalid_grant|invalid_client|unauthorized_client|deleted_client|invalid_scope|internal_failure): [^']*', [{'"]/,
  );
  if (exchange && !(refresh && refresh.index < exchange.index))
    return { value: "authorization_code", index: exchange.index };
  if (refresh) return { value: "refresh_token", index: refresh.index };
  if (goTransport) return { value: "refresh_token", index: goTransport.index };
  if (tuple) return { value: "refresh_token", index: tuple.index };
  return undefined;
}

const LIBRARIES: readonly [RegExp, string][] = [
  [
    /google\.auth\.exceptions\.RefreshError|\bRefreshError\b|\('(?:invalid_\w+|unauthorized_client|deleted_client): /,
    "Python google-auth (RefreshError)",
  ],
  [/googleapiclient|<HttpError \d{3}/, "Python google-api-python-client (HttpError)"],
  [/oauth2client|FlowExchangeError|HttpAccessTokenRefreshError/, "Python oauth2client"],
  [/oauthlib/, "Python oauthlib"],
  [/GaxiosError|gaxios/, "Node google-auth-library (GaxiosError)"],
  [/oauth2: cannot fetch token|googleapi: Error/, "Go golang.org/x/oauth2 / googleapi"],
  [/TokenResponseException|GoogleJsonResponseException|com\.google\.api/, "Java google-api-client"],
  [/Google_Service_Exception|Google\\\\?Service\\\\?Exception|Google_Auth_Exception/, "PHP google-api-php-client"],
  [/GuzzleHttp|Client error: `|Server error: `/, "PHP Guzzle"],
  [/Signet::AuthorizationError|signet/, "Ruby Signet"],
  [/Google::Apis|OAuth2::Error/, "Ruby google-api-client"],
  [/Google\.Apis\.Requests\.RequestError|GoogleApiException|Error:"[a-z_]+", Description:/, ".NET Google.Apis"],
  [/nodemailer|SMTPConnection/, "Node nodemailer"],
  [/PHPMailer|SERVER -> CLIENT/, "PHP PHPMailer"],
  [/MailKit/, ".NET MailKit"],
  [/imaplib/, "Python imaplib"],
];

const NETWORK: readonly [RegExp, NetworkFailure][] = [
  [
    /self[- ]signed[\s│|]*certificate|unable to get local issuer certificate|UNABLE_TO_VERIFY_LEAF_SIGNATURE|certificate verify failed|SELF_SIGNED_CERT/i,
    "tls",
  ],
  [/tunneling socket could not be established|ProxyError|Tunnel connection failed|407 Proxy Authentication/i, "proxy"],
  [
    /ENOTFOUND|EAI_AGAIN|getaddrinfo (?:failed|ENOTFOUND)|Unable to find the server at|Name or service not known|nodename nor servname/i,
    "dns",
  ],
  [/ETIMEDOUT|Connection timed out|timed out|TimeoutError/i, "timeout"],
  [/ECONNRESET|socket hang up/i, "reset"],
  [/ECONNREFUSED|Connection refused/i, "refused"],
  [/Network is unreachable|ENETUNREACH/i, "unreachable"],
];

/** Read every fact an error text carries. */
export function readSignals(input: string): Signals {
  const text = unescapeText(input);
  const evidence: Evidence[] = [];
  const note = (signal: string, value: string, index?: number) =>
    evidence.push({ signal, value, ...(index !== undefined ? { line: lineOf(text, index) } : {}) });

  let error: Found | undefined;
  let errorFrom: Signals["errorFrom"];
  let description: string | undefined;
  for (const re of PAGE_CODE) {
    const m = re.exec(text);
    if (m) {
      error = { value: m[2]!.toLowerCase(), index: m.index };
      errorFrom = "page";
      break;
    }
  }
  if (!error && OLD_PAGE.test(text)) {
    error = first(text, OLD_PAGE_CODE);
    if (error) errorFrom = "page";
  }
  if (!error) {
    const callback = first(text, /[?&#]error=([a-z_]+)/);
    if (callback && /^https?:\/\/|\/callback|\/oauth|[?&](state|code)=/i.test(lineOf(text, callback.index))) {
      error = callback;
      errorFrom = "callback";
    }
  }
  if (!error) {
    error = first(text, FIELD_CODE);
    if (error) errorFrom = "field";
  }
  if (!error) {
    for (const re of LIBRARY_CODE) {
      const m = re.exec(text);
      if (m) {
        error = { value: m[1]!, index: m.index };
        errorFrom = "library";
        const d = m[2]?.trim();
        if (d && !/^None$/.test(d)) description = d;
        break;
      }
    }
  }
  if (!error) {
    error = first(text, BARE_CODE);
    if (error) errorFrom = "bare";
  }
  // The RFC 6749 sentence some libraries print instead of the code.
  if (!error) {
    const rfc = first(
      text,
      /(The provided authorization grant \(e\.g\., authorization code, resource owner credentials\) or refresh token is invalid)/,
    );
    if (rfc) {
      error = { value: "invalid_grant", index: rfc.index };
      errorFrom = "library";
    }
  }
  if (error)
    note(
      "error",
      `${error.value}${errorFrom === "page" ? " (on Google's page)" : errorFrom === "callback" ? " (in the redirect back to the app)" : ""}`,
      error.index,
    );

  for (const re of DESCRIPTION) {
    const m = re.exec(text);
    if (m?.[1]) {
      description = m[1].trim();
      note("error_description", description, m.index);
      break;
    }
  }
  if (description && !evidence.some((e) => e.signal === "error_description"))
    note("error_description", description, error?.index);

  const subtypeMatch = SUBTYPE.exec(text);
  const subtypeRaw = subtypeMatch?.[1] ?? subtypeMatch?.[2];
  const subtypeValue = subtypeRaw ? (/rapt/.test(subtypeRaw) ? "invalid_rapt" : subtypeRaw) : undefined;
  if (subtypeValue) note("error_subtype", subtypeValue, subtypeMatch!.index);

  let httpStatus: number | undefined;
  for (const re of STATUS) {
    const m = re.exec(text);
    const n = m ? Number(m[1]) : NaN;
    if (n >= 200 && n < 600) {
      httpStatus = n;
      note("http_status", String(n), m!.index);
      break;
    }
  }

  const reasons = new Set<string>();
  for (const m of text.matchAll(REASON)) {
    const r = m[1] ?? m[2] ?? m[3];
    if (r && !reasons.has(r)) {
      reasons.add(r);
      note("reason", r, m.index);
    }
  }

  const api = readApi(text);
  if (api) note("api", api.value, api.index);

  let endpoint: Endpoint | undefined;
  if (
    errorFrom === "page" ||
    /Access blocked|Request details:|flowName=|Authori[sz]ation Error|Sign in with Google|accounts\.google\.com\/signin\/oauth\/error|That'?s an error/i.test(
      text,
    )
  )
    endpoint = "authorize";
  else if (errorFrom === "callback") endpoint = "callback";
  else if (
    /oauth2\.googleapis\.com\/token(?!info)|googleapis\.com\/oauth2\/v\d\/token(?!info)|accounts\.google\.com\/o\/oauth2\/token|cannot fetch token|RefreshError|TokenResponseException|Signet::AuthorizationError|Google_Auth_Exception|token endpoint/i.test(
      text,
    )
  )
    endpoint = "token";
  else if (/oauth2\/v\d\/tokeninfo|tokeninfo\?/.test(text)) endpoint = "tokeninfo";
  else if (/\b(?:535|550|5\.7\.\d|gsmtp|smtp\.gmail\.com|SMTPConnection|PHPMailer)\b/i.test(text)) endpoint = "smtp";
  else if (/\bimap\b|AUTHENTICATIONFAILED|Gimap/i.test(text)) endpoint = "imap";
  else if (api || reasons.size > 0 || /googleapis\.com\/[a-z]+\/v\d|HttpError|RequestError|googleapi:/.test(text))
    endpoint = "api";
  if (endpoint) note("endpoint", endpoint);

  const grant = readGrant(text);
  if (grant) note("grant", grant.value, grant.index);

  const library = LIBRARIES.find(([re]) => re.test(text))?.[1];
  if (library) note("library", library);

  const requestDetails = readRequestDetails(text);
  for (const [k, v] of Object.entries(requestDetails)) note(`request ${k}`, v);

  const scopes = [...new Set(text.match(SCOPE) ?? [])];
  const redirect =
    requestDetails.redirect_uri ??
    /The redirect URI in the request[,:]\s*(\S+?),?\s+(?:does not|did not) match/.exec(text)?.[1] ??
    /\bredirect_uri=([^\s&"']+)/.exec(text)?.[1];
  const redirectUri = redirect ? safeDecode(redirect) : undefined;
  const clientId = CLIENT_ID_IN_TEXT.exec(text)?.[0];
  const activationUrl = /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"')\]]+/.exec(text)?.[0];
  const projectNumber =
    /in project (\d+)/.exec(text)?.[1] ??
    (activationUrl ? /[?&]project=(\d+)/.exec(activationUrl)?.[1] : undefined) ??
    /project_number:(\d+)/.exec(text)?.[1];

  let network: NetworkFailure | undefined;
  for (const [re, kind] of NETWORK) {
    const m = re.exec(text);
    if (m) {
      network = kind;
      note("network", `${kind} (${m[0]})`, m.index);
      break;
    }
  }
  const target =
    /\b((?:smtp|imap)\.gmail\.com|oauth2\.googleapis\.com|[\w.-]+\.googleapis\.com)[: ](\d{2,5})\b/.exec(text) ??
    /address: '([\d.]+)',\s*port: (\d+)/.exec(text) ??
    /\b(\d{1,3}(?:\.\d{1,3}){3}):(\d{2,5})\b/.exec(text);
  const smtp = /\b(535|550|534|454)[ -]\d\.\d\.\d/.exec(text);
  const mechanism = /XOAUTH2|OAUTHBEARER|eyJzdGF0dXMi|SaslMechanismOAuth|SaslMechanism mechanism/.test(text)
    ? "xoauth2"
    : /AUTH (?:PLAIN|LOGIN)|--password|password/i.test(text)
      ? "password"
      : undefined;
  if (smtp) note("smtp_code", smtp[0], smtp.index);
  if (mechanism) note("mechanism", mechanism);

  return {
    ...(error ? { error: error.value, errorFrom } : {}),
    ...(description ? { description } : {}),
    ...(subtypeValue ? { subtype: subtypeValue } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    reasons: [...reasons],
    ...(endpoint ? { endpoint } : {}),
    ...(api ? { api: api.value } : {}),
    ...(grant ? { grant: grant.value as Grant } : {}),
    ...(library ? { library } : {}),
    requestDetails,
    scopes,
    ...(redirectUri ? { redirectUri } : {}),
    ...(clientId ? { clientId } : {}),
    ...(projectNumber ? { projectNumber } : {}),
    ...(activationUrl ? { activationUrl } : {}),
    ...(network ? { network } : {}),
    ...(target ? { target: `${target[1]}:${target[2]}` } : {}),
    ...(smtp ? { smtpCode: Number(smtp[1]) } : {}),
    ...(mechanism ? { mechanism } : {}),
    text,
    evidence,
  };
}

export function requestedOob(s: Pick<Signals, "redirectUri" | "text">): boolean {
  return s.redirectUri?.startsWith(OOB_REDIRECT_URI) === true || /redirect_uri[=:]\s*urn(?::|%3A)ietf/i.test(s.text);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
