// The facts an error text carries, read from whatever shape it arrived in: Google's pages in any language, token and
// API JSON bodies, and every client library's wrapper around them (Python RefreshError tuples and HttpError lines,
// Node GaxiosError, Go oauth2, Java, PHP and Guzzle, Ruby Signet, .NET RequestError, oauth2client's glued strings),
// escaped inside logs and other JSON (normalize.ts undoes that first). The families' rules (families/) decide on
// these facts only; each family's own vocabulary is matched against `text`.
import { CLIENT_ID_IN_TEXT } from "../../google/identifiers";
import { XOAUTH2_CHALLENGE_B64 } from "../../google/mail";
import { OOB_REDIRECT_URI } from "../../google/redirectUris";
import { NETWORK_FAILURES } from "./families/network";
import { joinWrappedLines, normalizeText, safeDecode } from "./normalize";
import type { Endpoint, Evidence, Grant, NetworkFailure, Signals } from "./types";

export type { Endpoint, Evidence, Grant, NetworkFailure, Signals } from "./types";

/** Every error code Google's OAuth endpoints and pages are known to use (google-behaviour.md §1.2, §2.3, §4). */
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
  "origin_mismatch",
] as const;

const CODES = OAUTH_ERROR_CODES.join("|");
/**
 * The word before the status on Google's page, in whatever language the page was shown in ("Error", "Fehler",
 * "Erreur", "Erro", "エラー", "错误", "Ошибка", "오류", "Lỗi", "Kesalahan", "خطأ" …): Google localizes the prose and keeps
 * the code in English, so any one word in any script stands for it; the code after it is what decides.
 */
const ERROR_WORD = "(?<![\\p{L}\\p{M}])(?!(?:HTTP|status|code|response|returned|got|with|Bad)\\b)[\\p{L}\\p{M}]{2,16}";
/** "400 Error: x" (status first): only the words known to head such a line, so "401 Unauthorized: x" is not a page. */
const ERROR_WORD_AFTER = "(?:error|erreur|fehler|errore|erro|fout|błąd|hata|ошибка|오류|エラー|错误|錯誤)";

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

/** "Error 400: code" in any language: group 1 the status, group 2 the code. Read for both (PAGE_CODE, STATUS). */
const LOCALIZED_PAGE_CODE = new RegExp(`${ERROR_WORD}\\s*(\\d{3})\\s*:\\s*(${CODES})\\b`, "iu");
const PAGE_CODE = [
  LOCALIZED_PAGE_CODE,
  // "400 Error: x" on one line; not "ttl=300" at the end of the line above an "Error: x".
  new RegExp(`(?<![\\w=.:/-])(\\d{3})[ \\t]*${ERROR_WORD_AFTER}\\s*:\\s*(${CODES})\\b`, "i"),
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
  new RegExp(`\\((${CODES})\\)\\s*([^'"\\n})]*)`, "i"),
  // oauth2client glues code and description together: "invalid_clientUnauthorized", "invalid_grantMalformed auth code."
  new RegExp(`\\b(${CODES})(?=[A-Z])([A-Z][^'"\\n{}]*)`),
  new RegExp(`\\b(${CODES})\\b(?:\\s*:\\s*|\\s+-\\s+)([^'"\\n{}]*)`, "i"),
];
const BARE_CODE = new RegExp(`\\b(${CODES})\\b`, "i");
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
  "ACCESS_TOKEN_EXPIRED",
  "USER_PROJECT_DENIED",
  "domainPolicy",
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
  "gi",
);
/** A reason as Google spells it, whatever case the paste turned it into. */
const REASON_NAME = new Map([...REASONS_ANYWHERE, ...REASONS_IN_FIELDS].map((r) => [r.toLowerCase(), r]));

const STATUS = [
  LOCALIZED_PAGE_CODE,
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
  // The label is localized with the page; where it is in a language not listed, Google's own keys (flowName,
  // response_type, access_type) mark the block as well.
  const labelled = text.search(
    /Request [Dd]etails|요청 세부정보|Detalles de la solicitud|Anfragedetails|Détails de la requête|Dettagli richiesta|Detalhes da solicitação|Szczegóły żądania|Детали запроса|Сведения о запросе|Ayrıntılar|Chi tiết yêu cầu|Detail permintaan|リクエストの詳細|请求详情|要求詳情|요청 세부사항/,
  );
  const start = labelled >= 0 ? labelled : text.search(/\b(?:flowName|response_type|access_type)\s*[=:]/);
  const from = start >= 0 ? text.slice(start) : text;
  const re =
    /(?:^|[\s>])(access_type|approval_prompt|login_hint|response_type|redirect_uri|client_id|scope|state|prompt|flowName|hd|code_challenge_method|include_granted_scopes|o2v|origin)\s*[=:]\s*([^\s]+(?:(?<=scope[=:]\s*\S*)\s+(?:https?:\/\/\S+|openid|email|profile))*)/g;
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
  const named = first(text, /(?:^|[^\w])([A-Z][\w ]{1,40}?) API has not been used in project/i);
  if (named)
    return {
      value: named.value
        .replace(/^Google\s+/i, "")
        .split(" ")[0]!
        .toLowerCase(),
      index: named.index,
    };
  const service = first(text, /\b(?!oauth2|www|accounts)([a-z][a-z0-9-]*)\.googleapis\.com(?!\/token)/i);
  if (service) return { value: service.value.toLowerCase().replace(/-json$/, ""), index: service.index };
  const path = first(
    text,
    /googleapis\.com\/(gmail|drive|calendar|analytics|youtube|sheets|tasks|admin|people|webmasters)\//i,
  );
  if (path) return { value: path.value.toLowerCase(), index: path.index };
  const title = first(
    text,
    /\b(Gmail|Google Drive|Drive|Calendar|Sheets|Analytics|YouTube|People|Tasks)\b(?=[^\n]{0,40}\bAPI\b)/i,
  );
  return title ? { value: title.value.replace(/^Google\s+/i, "").toLowerCase(), index: title.index } : undefined;
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

interface ErrorRead {
  error?: Found;
  errorFrom?: Signals["errorFrom"];
  description?: string;
}

/** The OAuth error code and where it was read, in the order of how sure its shape makes it (a page, a field, …). */
function readError(text: string): ErrorRead {
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
  return { error: error ? { ...error, value: error.value.toLowerCase() } : undefined, errorFrom, description };
}

/** Read every fact an error text carries. */
export function readSignals(input: string): Signals {
  const text = normalizeText(input);
  const evidence: Evidence[] = [];
  const note = (signal: string, value: string, index?: number) =>
    evidence.push({ signal, value, ...(index !== undefined ? { line: lineOf(text, index) } : {}) });

  // A code cut in two by a hard-wrapped line is found again in the joined view.
  let { error, errorFrom, description } = readError(text);
  if (!error) {
    const joined = joinWrappedLines(text);
    if (joined !== text) ({ error, errorFrom, description } = readError(joined));
    if (error) error = { value: error.value, index: Math.min(error.index, text.length - 1) };
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
  const subtypeValue = subtypeRaw ? (/rapt/i.test(subtypeRaw) ? "invalid_rapt" : subtypeRaw.toLowerCase()) : undefined;
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
    const found = m[1] ?? m[2] ?? m[3];
    const r = found && REASON_NAME.get(found.toLowerCase());
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
    /The redirect URI in the request[,:]\s*(\S+?),?\s+(?:does not|did not|can only|is not)\b/.exec(text)?.[1] ??
    /\bredirect_uri=([^\s&"']+)/.exec(text)?.[1];
  const redirectUri = redirect ? safeDecode(redirect) : undefined;
  const clientId = CLIENT_ID_IN_TEXT.exec(text)?.[0];
  const activationUrl = /https:\/\/console\.developers\.google\.com\/apis\/api\/[^\s"')\]]+/.exec(text)?.[0];
  const projectNumber =
    /in project (\d+)/.exec(text)?.[1] ??
    (activationUrl ? /[?&]project=(\d+)/.exec(activationUrl)?.[1] : undefined) ??
    /project_number:(\d+)/.exec(text)?.[1];

  let network: NetworkFailure | undefined;
  for (const [re, kind] of NETWORK_FAILURES) {
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
  // An SMTP reply with its enhanced status code ("534-5.7.9", "454 4.7.0"), or a library's "(534, b'5.7.9 …')".
  const smtp =
    /\b([245]\d\d)[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(text) ??
    /\(([245]\d\d), b?['"]([245]\.\d{1,3}\.\d{1,3})\b/.exec(text);
  const mechanism =
    /XOAUTH2|OAUTHBEARER|SaslMechanismOAuth|SaslMechanism mechanism/.test(text) || XOAUTH2_CHALLENGE_B64.test(text)
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
