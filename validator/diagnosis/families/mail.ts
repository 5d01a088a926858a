// Gmail's SMTP and IMAP servers (docs/google-behaviour.md §11): how Flectra, Odoo, WordPress plugins and mail
// clients use the connection. Google's reply codes and their support-page anchors (?p=BadCredentials,
// InvalidSecondFactor, WebLoginRequired, FailedLoginAttempts, WantAuthError, SendingLimits), IMAP's [ALERT] and
// [AUTHENTICATIONFAILED] texts, and the XOAUTH2 failure challenge. A refused password login is told apart from a
// refused OAuth token, and a refused message (a bounce) from a refused login.
import { XOAUTH2_CHALLENGE_B64 } from "../../../google/mail";
import type { Signals } from "../types";
import { says, saysAny, type Family, type Rule, type VocabularyEntry } from "../rule";

const SMTP_CODES = "https://support.google.com/a/answer/3726730";
const XOAUTH2 = "https://developers.google.com/workspace/gmail/imap/xoauth2-protocol";
const APP_PASSWORDS = "https://support.google.com/accounts/answer/185833";
const IMAP_ERRORS = "https://support.google.com/mail/answer/7126229";

/** A narrower Gmail scope than the one SMTP and IMAP accept, named as a scope URL. */
const NARROW_GMAIL_SCOPE = /auth\/gmail\.(?:send|modify|readonly|compose)\b/;

/**
 * `first` matched, and `then` after it. Searched one after the other: a single `A[\s\S]*B` retries from every A and
 * is quadratic in a log that repeats A (a 1 MiB transcript).
 */
function inOrder(s: Signals, first: RegExp, then: RegExp): boolean {
  const m = first.exec(s.text);
  return m !== null && then.test(s.text.slice(m.index + m[0].length));
}

/** Both are said, in either order. */
const both = (s: Signals, a: RegExp, b: RegExp) => a.test(s.text) && b.test(s.text);

/** Gmail's SMTP or IMAP refused a login: 535-5.7.8 BadCredentials, or IMAP's AUTHENTICATIONFAILED. */
const mailLoginRefused = (s: Signals) =>
  ((s.endpoint === "smtp" || s.endpoint === "imap") && s.smtpCode === 535) ||
  says(s, /5\.7\.8 Username and Password not accepted|Invalid credentials \(Failure\)/i) ||
  // IMAP's response code, not JavaMail's AuthenticationFailedException (whose name says nothing of Google's answer).
  /\bAUTHENTICATIONFAILED\b/.test(s.text);
/** The login was an OAuth one: XOAUTH2 named, its challenge shown, or a SASL mechanism/token handed to the client. */
const oauthLogin = (s: Signals) =>
  says(s, /XOAUTH2|OAUTHBEARER|SaslMechanismOAuth|Authenticate\(SaslMechanism|auth=Bearer|access[_ ]token/i) ||
  XOAUTH2_CHALLENGE_B64.test(s.text);
const MAIL_PORTS = new Set(["25", "465", "587", "993", "995"]);

/** Gmail's refusals of one message rather than of the login (Gmail SMTP errors and codes). */
const MAIL_DELIVERY: readonly RegExp[] = [
  /550[- ]5\.1\.1\b/,
  /The email account that you tried to reach does not exist/i,
  /552[- ]5\.2\.2\b/,
  /552[- ]5\.2\.3\b/,
  /552[- ]5\.3\.4\b/,
  /550[- ]5\.7\.1 .{0,80}(?:unsolicited|Our system has detected)/i,
  /421[- ]4\.7\.28\b/,
  /450[- ]4\.2\.1\b/,
  /452[- ]4\.5\.3\b/,
  /553[- ]5\.1\.2\b/,
  /554[- ]5\.6\.0\b/,
  /\[(?:NONEXISTENT|TRYCREATE)\]/,
  /550[- ]5\.7\.2[5-7]\b/,
  /\?p=(?:NoSuchUser|OverQuota|MaxSizeError|UnsolicitedMessageError|UnsolicitedIPError|UnsolicitedRateLimitError)\b/,
];

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: "535-5.7.8 Username and Password not accepted. Learn more at\n535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1-20020a17090a0a0100b0029c sm1234567pjb.1 - gsmtp",
    code: "smtp_app_password_advice",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "534-5.7.9 Application-specific password required. Learn more at\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor d2-20020a17090a0a0100b0029c sm1234567pjb.1 - gsmtp",
    code: "app_password_required",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1&scc=1&plt=AKgnsbt>\n534-5.7.14 Please log in via your web browser and then try again.\n534-5.7.14  Learn more at\n534 5.7.14  https://support.google.com/mail/answer/78754 g5sm1234567wrb.10 - gsmtp",
    code: "web_login_required",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "454 4.7.0 Too many login attempts, please try again later. https://support.google.com/mail/?p=FailedLoginAttempts a1sm123456pgb.2 - gsmtp",
    code: "mail_too_many_logins",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "530-5.7.0 Authentication Required. Learn more at\n530 5.7.0  https://support.google.com/mail/?p=WantAuthError c3sm123456pgb.2 - gsmtp",
    code: "smtp_auth_required",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "550-5.4.5 Daily user sending limit exceeded. For more information on Gmail\n550-5.4.5 sending limits go to\n550 5.4.5  https://support.google.com/a/answer/166852 a1sm123456pgb.2 - gsmtp",
    code: "gmail_quota_exceeded",
    channel: "smtp",
    source: "https://support.google.com/a/answer/166852",
  },
  {
    says: "530 5.7.0 Must issue a STARTTLS command first. a1sm123456pgb.2 - gsmtp",
    code: "smtp_starttls_required",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "421 4.7.0 Try again later, closing connection. (EHLO) a1sm123456pgb.2 - gsmtp",
    code: "smtp_ehlo_rejected",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "Error: C0B7E7D1E37F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number (smtp.gmail.com:587)",
    code: "mail_tls_mode_mismatch",
    channel: "network",
    source: "https://support.google.com/a/answer/176600",
  },
  {
    says: "334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==",
    code: "xoauth2_invalid_credentials",
    channel: "smtp",
    source: XOAUTH2,
  },
  {
    says: "A01 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",
    code: "smtp_app_password_advice",
    channel: "imap",
    source: XOAUTH2,
  },
  {
    says: "  18:48.35 > b'ILPK1 AUTHENTICATE XOAUTH2'\n  18:49.49 < b'+ eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ=='\n  18:49.64 < b'ILPK1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)'\n(token scope: https://www.googleapis.com/auth/gmail.modify)",
    code: "xoauth2_scope_insufficient",
    channel: "imap",
    source: XOAUTH2,
  },
  {
    // Not Google's words: the line `validate` prints when tokeninfo names another account, which `explain` reads back.
    says: "user=other@example.com is not the token's account (sales@example.com).",
    code: "xoauth2_user_mismatch",
    channel: "local",
    source: XOAUTH2,
  },
  {
    says: "NO [ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)",
    code: "app_password_required",
    channel: "imap",
    source: APP_PASSWORDS,
  },
  {
    says: "NO [ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)",
    code: "web_login_required",
    channel: "imap",
    source: IMAP_ERRORS,
  },
  {
    says: "NO [ALERT] Too many simultaneous connections. (Failure)",
    code: "imap_connection_limit",
    channel: "imap",
    source: IMAP_ERRORS,
  },
  {
    says: "NO [ALERT] IMAP access is disabled for your domain. Please contact your domain administrator for questions about this feature. (Failure)",
    code: "imap_disabled",
    channel: "imap",
    source: "https://support.google.com/a/answer/105694",
  },
  {
    says: "connect EHOSTUNREACH 142.250.153.108:993",
    code: "mail_port_blocked",
    channel: "network",
    source: "https://nodejs.org/api/errors.html#common-system-errors",
  },
  {
    says: "550-5.1.1 The email account that you tried to reach does not exist. Please try\n550-5.1.1 double-checking the recipient's email address for typos or\n550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "a recipient does not exist: one message bounced, the login and the connection work",
  },
  {
    says: "552-5.2.2 The email account that you tried to reach is over quota. Please direct\n552 5.2.2  https://support.google.com/mail/?p=OverQuota a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "the recipient's mailbox is full: one message bounced",
  },
  {
    says: "550-5.7.1 [203.0.113.5] Our system has detected an unusual rate of\n550-5.7.1 unsolicited mail originating from your IP address. To protect our\n550 5.7.1  https://support.google.com/mail/?p=UnsolicitedIPError a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "Gmail judged the mail as spam: deliverability, not the connection's setup",
  },
  {
    says: "450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at\n450 4.2.1 a later time. a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "one recipient receives mail too fast: that message waits, the connection works",
  },
  {
    says: "452 4.5.3 Your message has too many recipients. a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "the message names too many recipients: the app's message, not the login",
  },
  {
    says: "553-5.1.2 We weren't able to find the recipient domain. Please check for any spelling errors, and make sure\n553 5.1.2 you didn't enter any spaces, periods, or other punctuation after the recipient's email address. a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "a recipient address is wrong: one message, not the connection",
  },
  {
    says: "554 5.6.0 Mail message is malformed. Not accepted. a1si123456pgb.2 - gsmtp",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "the message the app built is malformed: its own bug",
  },
  {
    says: "454 4.7.0 Cannot authenticate due to a temporary system problem. Try again later. a1sm123456pgb.2 - gsmtp",
    code: "google_unavailable",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "421 4.7.0 Try again later, closing connection. a1sm123456pgb.2 - gsmtp",
    code: "google_unavailable",
    channel: "smtp",
    source: SMTP_CODES,
  },
  {
    says: "* BYE [UNAVAILABLE] Temporary System Error",
    code: "google_unavailable",
    channel: "imap",
    source: IMAP_ERRORS,
  },
  {
    says: "A02 NO [NONEXISTENT] Unknown Mailbox: INBOXX (now in authenticated state) (Failure)",
    code: null,
    channel: "imap",
    source: "https://www.rfc-editor.org/rfc/rfc5530#section-3",
    why: "the app named a folder that does not exist: its own request, after a successful login",
  },
  {
    says: "NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)",
    code: "imap_disabled",
    channel: "imap",
    source: IMAP_ERRORS,
  },
  {
    says: "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.",
    code: null,
    channel: "smtp",
    source: SMTP_CODES,
    why: "the sender domain's SPF/DKIM/DMARC: the domain's DNS, not the Gmail connection",
  },
];

const rules: readonly Rule[] = [
  {
    id: "mail-not-setup",
    precedence: 705,
    code: null,
    // A bounce, a spam or sender-authentication refusal, a full mailbox or a message too large: Gmail accepted the
    // login and refused one message. Listed in the vocabulary with Google's reply codes.
    holds: (s) => saysAny(s, MAIL_DELIVERY),
    note: "Gmail refused one message (a recipient, its content, its size, or the sender domain's SPF/DKIM/DMARC), not the login: the connection works",
  },
  {
    id: "web-login-required",
    precedence: 711,
    code: "web_login_required",
    holds: (s) =>
      saysAny(s, [
        /534[- ]5\.7\.14\b/,
        /WebLoginRequired/i,
        /Please log in (?:via|with) your web browser/i,
        /\[ALERT\] Web login required/i,
        /\[WEBALERT [^\]]*\]/i,
      ]),
    alternatives: [
      {
        code: "app_password_required",
        when: "if the account has 2-Step Verification: a password login needs an app password",
      },
    ],
  },
  {
    id: "app-password-required",
    precedence: 712,
    code: "app_password_required",
    holds: (s) => saysAny(s, [/534[- ]5\.7\.9\b/, /InvalidSecondFactor/i, /Application-specific password required/i]),
  },
  {
    id: "too-many-logins",
    precedence: 713,
    code: "mail_too_many_logins",
    holds: (s) =>
      saysAny(s, [
        /Too many login attempts/i,
        /FailedLoginAttempts/i,
        /454[- ]4\.7\.0 Too many/i,
        /\[ALERT\] Too many login failures/i,
      ]),
  },
  {
    id: "imap-connections",
    precedence: 714,
    code: "imap_connection_limit",
    holds: (s) =>
      saysAny(s, [
        /Too many simultaneous connections/i,
        /Account exceeded command or bandwidth limits/i,
        /\[OVERQUOTA\] Account exceeded/i,
      ]),
  },
  {
    id: "smtp-auth-required",
    precedence: 716,
    code: "smtp_auth_required",
    holds: (s) =>
      saysAny(s, [
        /530[- ]5\.7\.0 Authentication Required/i,
        /WantAuthError/i,
        /MAIL FROM command failed,?\s*Authentication Required/i,
      ]),
  },
  {
    id: "smtp-starttls",
    precedence: 718,
    code: "smtp_starttls_required",
    holds: (s) => saysAny(s, [/Must issue a STARTTLS command first/i, /SMTP AUTH extension not supported by server/i]),
  },
  {
    id: "smtp-ehlo",
    precedence: 719,
    code: "smtp_ehlo_rejected",
    holds: (s) => says(s, /421[- ]4\.7\.0 Try again later, closing connection\.? \((?:EHLO|HELO)\)/i),
  },
  {
    id: "tls-mode",
    precedence: 733,
    code: "mail_tls_mode_mismatch",
    // A TLS handshake that meets plain text (or the reverse) on a mail port: the client's TLS mode is wrong for it.
    holds: (s) =>
      says(
        s,
        /wrong version number|WRONG_VERSION_NUMBER|unknown protocol|Greeting never received|first record does not look like a TLS handshake/i,
      ) &&
      (MAIL_PORTS.has(s.target?.split(":")[1] ?? "") || says(s, /(?:smtp|imap)\.gmail\.com/i)),
  },
  {
    id: "mail-temporary",
    precedence: 721,
    code: "google_unavailable",
    // Gmail's own temporary refusals: nothing about the setup can be concluded until it answers again.
    holds: (s) =>
      saysAny(s, [
        /454[- ]4\.7\.0 Cannot authenticate due to a temporary system problem/i,
        /421[- ]4\.7\.0 Try again later, closing connection(?!\.? \((?:EHLO|HELO)\))/i,
        /\[UNAVAILABLE\] Temporary System Error/i,
      ]),
  },
  {
    id: "smtp-sending-limit",
    precedence: 717,
    code: "gmail_quota_exceeded",
    holds: (s) =>
      saysAny(s, [
        /550[- ]5\.4\.5\b/,
        /Daily user sending (?:quota|limit) exceeded/i,
        /You have reached a limit for sending mail/i,
        /\?p=SendingLimits|\?p=UserSendingLimits/i,
      ]),
  },
  {
    id: "imap-disabled",
    precedence: 710,
    code: "imap_disabled",
    holds: (s) => saysAny(s, [/IMAP access is disabled for your domain/i, /Your account is not enabled for IMAP use/i]),
  },
  {
    id: "xoauth2-scope",
    precedence: 715,
    code: "xoauth2_scope_insufficient",
    holds: (s) =>
      both(s, NARROW_GMAIL_SCOPE, /535[- ]5\.7\.8/) || both(s, NARROW_GMAIL_SCOPE, /\bAUTHENTICATIONFAILED\b/),
  },
  {
    id: "xoauth2-user",
    precedence: 720,
    code: "xoauth2_user_mismatch",
    holds: (s) => saysAny(s, [/\buser=\S+ is not the token'?s account/i]),
  },
  {
    id: "app-password-advice",
    precedence: 725,
    code: "smtp_app_password_advice",
    // A refused login with no sign of OAuth (no XOAUTH2, no challenge, no SASL token) is a password login: the app is
    // not using the OAuth connection at all, and "use an app password" is the advice threads give (catalogue).
    holds: (s) =>
      saysAny(s, [/less secure app/i]) ||
      inOrder(s, /AUTH (?:PLAIN|LOGIN)\b/, /535[- ]5\.7\.8/) ||
      inOrder(s, /535[- ]5\.7\.8/, /command['"]?\s*:\s*['"]AUTH (?:PLAIN|LOGIN)/) ||
      (mailLoginRefused(s) && !oauthLogin(s)),
    alternatives: [
      {
        code: "xoauth2_invalid_credentials",
        when: "if the app was set up for OAuth (XOAUTH2): Google refused its token",
      },
    ],
  },
  {
    id: "xoauth2-refused",
    precedence: 730,
    code: "xoauth2_invalid_credentials",
    holds: (s) =>
      (mailLoginRefused(s) && oauthLogin(s)) ||
      saysAny(s, [
        XOAUTH2_CHALLENGE_B64,
        /\{"status":"40[01]","schemes":"Bearer"/,

        /\[AUTHENTICATIONFAILED\] Invalid credentials \(Failure\)/,
        /535[- ]5\.7\.8 Username and Password not accepted/,
      ]) ||
      inOrder(s, /AUTH XOAUTH2/, /53[45][- ]5\.7\.[0-9]/) ||
      both(s, /XOAUTH2/, /\bAUTHENTICATIONFAILED\b/),
    // Google's challenge says 400 for several causes (docs/google-behaviour.md §11): the checks tell them apart.
    alternatives: [
      {
        code: "xoauth2_scope_insufficient",
        when: "if the token was granted a narrower Gmail scope than https://mail.google.com/",
      },
      {
        code: "xoauth2_user_mismatch",
        when: "if the app logs in (user=) as another address than the one that consented",
      },
    ],
  },
  {
    id: "mail-port",
    precedence: 735,
    code: "mail_port_blocked",
    holds: (s) =>
      (s.network !== undefined &&
        (MAIL_PORTS.has(s.target?.split(":")[1] ?? "") ||
          says(s, /(?:smtp|imap)\.gmail\.com|gmail-(?:smtp|imap)[\w.-]*\.google\.com|Connection Test Failed/i))) ||
      saysAny(s, [
        /(?:ETIMEDOUT|ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\s+[\d.:a-f]+:(?:587|465|993)\b/i,
        /(?:smtp|imap)\.gmail\.com[\s\S]{0,200}(?:Connection timeout|Greeting never received|timed out)/i,
      ]),
    note: "the connection to Gmail's SMTP or IMAP port never opened: the network blocks it",
  },
];

export const MAIL: Family = {
  id: "mail",
  title: "Gmail's SMTP and IMAP servers",
  vocabulary,
  rules,
};
