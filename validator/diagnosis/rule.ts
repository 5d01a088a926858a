// What a diagnosis family is made of: the vocabulary it knows (Google's own words, each with its primary source and
// what it means for a connection), and the rules that turn signals (signals.ts) into a catalogue code. Families live
// in families/, one per place an error comes from; decide.ts orders every family's rules by their stated precedence.
import type { DiagnosisCode } from "../catalogue";
import type { Signals } from "./types";

export interface Alternative {
  readonly code: DiagnosisCode;
  /** When this other reading is the right one. */
  readonly when: string;
}

/**
 * Where a text of the vocabulary is met, which says how people paste it: a rendered page (localized prose, the code in
 * English), a token-endpoint answer, an API error body, an SMTP reply, an IMAP response, a failure on the network,
 * or a message of the app's own files and libraries.
 */
export type Channel = "page" | "token" | "api" | "smtp" | "imap" | "network" | "local";

/** One thing Google (or the network on the way to it) can say, and what it means here. */
export interface VocabularyEntry {
  /** The words as they appear, verbatim from the source: a page's line, a body, an SMTP reply, an OS error. */
  readonly says: string;
  /** The diagnosis, or null when it is not a setup problem (`why` says why). */
  readonly code: DiagnosisCode | null;
  readonly channel: Channel;
  /** The primary source: Google's documentation, the RFC, or the runtime's own error reference. */
  readonly source: string;
  /** For a null code: why it is not a connection problem this kit diagnoses. */
  readonly why?: string;
}

/**
 * Precedence: the lower number decides when several rules hold, and the other holders become the alternatives. The
 * scale says one idea: what Google says explicitly beats what the context suggests.
 *   100–199  a code or sentence on Google's page that names the cause outright
 *   200–299  a token-endpoint description that names one cause whatever the grant; a service account's JWT words
 *   300–399  the readings of redirect_uri_mismatch and access_denied, decided by where the code was shown
 *   400–499  a bare invalid_grant, decided by the grant the wrapper names; tokeninfo and revoke
 *   500–599  Google API answers (Gmail's first; another API's trouble recognised and left alone)
 *   600–699  the app's own setup, read from library messages
 *   700–799  SMTP and IMAP replies
 *   800–899  the network between the app and Google (only when Google said nothing)
 * Every rule's number is unique (a test holds it), so no decision depends on where a rule sits in a file.
 */
export interface Rule {
  readonly id: string;
  readonly precedence: number;
  /**
   * The diagnosis, or null: recognised, but not a connection problem this kit diagnoses (another Google API, the
   * app's own request, a bounced recipient). A null rule still stops lower rules.
   */
  readonly code: DiagnosisCode | null;
  readonly holds: (s: Signals) => boolean;
  /** The reading rests on context or undocumented behaviour rather than on Google's own words. */
  readonly inferred?: boolean | ((s: Signals) => boolean);
  /** Other readings of the same signals, ranked, for an ambiguous input. */
  readonly alternatives?: readonly Alternative[];
  /** What the rule recognised, said to the user when the code is null or the reading needs a word. */
  readonly note?: string;
  /** The code to give instead, from the same signals (e.g. the unverified screen for a send-only request). */
  readonly refine?: (s: Signals) => DiagnosisCode;
  /**
   * Keyed on an OAuth error code alone: the reading when nothing more specific holds, and never offered as another
   * reading of a text that a more specific rule explained ("Malformed auth code" is not also a dead refresh token).
   */
  readonly generic?: boolean;
}

/** One place errors come from: its vocabulary and its rules. A new Google error touches one family. */
export interface Family {
  readonly id: string;
  readonly title: string;
  readonly vocabulary: readonly VocabularyEntry[];
  readonly rules: readonly Rule[];
}

export const says = (s: Signals, re: RegExp) => re.test(s.text);
export const saysAny = (s: Signals, res: readonly RegExp[]) => res.some((re) => re.test(s.text));
export const reason = (s: Signals, ...names: string[]) => names.some((n) => s.reasons.includes(n));
export const gmailOrUnnamed = (s: Signals) => s.api === undefined || s.api === "gmail";
export const onPage = (s: Signals) => s.errorFrom === "page" || s.endpoint === "authorize";
export const fromTokenEndpoint = (s: Signals) => s.endpoint === "token" || s.grant !== undefined;
/** A stack trace or an exception name: the text came from code that called an endpoint, not from a page. */
export const fromCode = (s: Signals) =>
  /\bat [\w.$<>[\] ]+ \([^)\n]*:\d+(?::\d+)?\)|Traceback|\w+Exception|\bcode: \d{3}/.test(s.text);
/** Gmail's "Precondition check failed" (reason failedPrecondition): read by the service-account and API families. */
export const precondition = (s: Signals) =>
  reason(s, "failedPrecondition", "FAILED_PRECONDITION") || says(s, /Precondition check failed/i);
