// The facts a diagnosis rests on, as signals.ts reads them from a text and the families' rules decide on them. Kept
// apart from the reader so that a family can name these types while the reader uses the families' vocabulary.

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
