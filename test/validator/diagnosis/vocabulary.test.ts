// Issue 24: every entry of the families' vocabularies (what Google, or the network on the way, can say) is recognised
// raw, inside the wrappers the major client libraries put around it, and, for Google's pages, in the languages Google
// shows them in. The wrapper shapes are the libraries' own, each as seen in a public thread (cited per wrapper).
import { describe, expect, test } from "vitest";
import { DIAGNOSIS_CODES } from "../../../validator/catalogue";
import { FAMILIES, RULES, VOCABULARY } from "../../../validator/diagnosis/decide";
import type { Channel, VocabularyEntry } from "../../../validator/diagnosis/rule";
import { explain } from "../../../validator/explain";

interface Wrapper {
  readonly name: string;
  /** A public thread showing the wrapper's shape. */
  readonly seen: string;
  readonly wrap: (says: string) => string;
}

const indent = (t: string, by: string) =>
  t
    .split("\n")
    .map((l) => by + l)
    .join("\n");
/** The reply code of an SMTP text ("534-5.7.9 …" → 534), for the libraries that print it apart from the message. */
const replyCode = (t: string) => /^(\d{3})[- ]/.exec(t)?.[1] ?? "535";
const afterCode = (t: string) => t.replace(/^\d{3}[- ]/, "").replace(/\n\d{3}[- ]/g, "\n");

const WRAPPERS: Readonly<Record<Channel, readonly Wrapper[]>> = {
  token: [
    {
      name: "Python google-auth RefreshError",
      seen: "https://github.com/burnash/gspread/issues/932",
      wrap: (t) => {
        const body = JSON.parse(t) as { error: string; error_description?: string };
        return `google.auth.exceptions.RefreshError: ('${body.error}: ${body.error_description ?? ""}', ${t.replace(/"/g, "'")})`;
      },
    },
    {
      name: "Node GaxiosError",
      seen: "https://github.com/googleapis/google-api-nodejs-client/issues/1256",
      wrap: (t) =>
        `GaxiosError: ${(JSON.parse(t) as { error: string }).error}\n    at Gaxios._request (/app/node_modules/gaxios/build/src/gaxios.js:142:23)\n    at async OAuth2Client.refreshTokenNoCache (/app/node_modules/google-auth-library/build/src/auth/oauth2client.js:212:19) {\n  response: {\n    config: { url: 'https://oauth2.googleapis.com/token', method: 'POST' },\n    data: ${t}\n  }\n}`,
    },
    {
      name: "Go golang.org/x/oauth2",
      seen: "https://github.com/rclone/rclone/issues/2566",
      wrap: (t) => `oauth2: cannot fetch token: 400 Bad Request\nResponse: ${t}`,
    },
    {
      name: "Java TokenResponseException",
      seen: "https://github.com/Triple-T/gradle-play-publisher/issues/131",
      wrap: (t) => `com.google.api.client.auth.oauth2.TokenResponseException: 400 Bad Request\n${t}`,
    },
    {
      name: ".NET TokenResponseException",
      seen: "https://github.com/googlearchive/google-api-dotnet-client-samples/issues/14",
      wrap: (t) => {
        const b = JSON.parse(t) as { error: string; error_description?: string };
        return `Google.Apis.Auth.OAuth2.Responses.TokenResponseException: Error:"${b.error}", Description:"${b.error_description ?? ""}", Uri:""`;
      },
    },
  ],
  api: [
    {
      name: "Python googleapiclient HttpError",
      seen: "https://github.com/googleworkspace/python-samples/issues/23",
      wrap: (t) => {
        const m = /"message":"([^"]*)"/.exec(t)?.[1] ?? t;
        return `googleapiclient.errors.HttpError: <HttpError 403 when requesting https://gmail.googleapis.com/gmail/v1/users/me/messages?alt=json returned "${m}". Details: "${t.replace(/"/g, "'")}">`;
      },
    },
    {
      name: "Java GoogleJsonResponseException",
      seen: "https://github.com/youtube/yt-direct-lite-android/issues/4",
      wrap: (t) => `com.google.api.client.googleapis.json.GoogleJsonResponseException: 403 Forbidden\n${t}`,
    },
    {
      name: "PHP Google\\Service\\Exception",
      seen: "https://github.com/googleapis/google-api-php-client/issues/2558",
      wrap: (t) =>
        `PHP Fatal error:  Uncaught Google\\Service\\Exception: ${t} in /var/www/vendor/google/apiclient/src/Http/REST.php:134`,
    },
    {
      name: "Node GaxiosError",
      seen: "https://github.com/munir131/attachment-downloader/issues/13",
      wrap: (t) =>
        `GaxiosError: request failed\n    at Gaxios._request (/app/node_modules/gaxios/build/src/gaxios.js:142:23) {\n  response: { data: ${t} }\n}`,
    },
  ],
  smtp: [
    {
      name: "Python smtplib",
      seen: "https://github.com/dcparker/ruby-gmail/issues/23",
      wrap: (t) =>
        `Traceback (most recent call last):\n  File "send.py", line 12, in <module>\n    server.login(user, password)\nsmtplib.SMTPAuthenticationError: (${replyCode(t)}, b'${afterCode(t).replace(/\n/g, "\\n")}')`,
    },
    {
      name: "Node nodemailer",
      seen: "https://github.com/nodemailer/nodemailer/issues/1116",
      wrap: (t) =>
        `Error: Invalid login: ${t}\n    at SMTPConnection._formatError (/app/node_modules/nodemailer/lib/smtp-connection/index.js:790:19) {\n  code: 'EAUTH',\n  responseCode: ${replyCode(t)},\n  command: 'AUTH PLAIN'\n}`,
    },
    {
      name: "PHPMailer",
      seen: "https://github.com/PHPMailer/PHPMailer/issues/2132",
      wrap: (t) =>
        `2024-05-01 10:00:00 SERVER -> CLIENT: ${t.replace(/\n/g, "\n2024-05-01 10:00:00 SERVER -> CLIENT: ")}\nSMTP ERROR: Password command failed: ${t.split("\n")[0]}\nSMTP Error: Could not authenticate.`,
    },
    {
      name: "Jakarta Mail",
      seen: "https://github.com/virtualzone/tubewarder/issues/29",
      wrap: (t) =>
        `javax.mail.AuthenticationFailedException: ${t}\n\tat com.sun.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:965)`,
    },
    {
      name: ".NET MailKit",
      seen: "https://github.com/jstedfast/MailKit/issues/1329",
      wrap: (t) =>
        `MailKit.Security.AuthenticationException: ${replyCode(t)}: ${afterCode(t)}\n   at MailKit.Net.Smtp.SmtpClient.Authenticate(Encoding encoding, ICredentials credentials, CancellationToken cancellationToken)`,
    },
  ],
  imap: [
    {
      name: "Python imaplib",
      seen: "https://github.com/google/gmail-oauth2-tools/issues/78",
      wrap: (t) => `imaplib.IMAP4.error: b'${t.replace(/^(?:A01|\*) /, "").replace(/^NO /, "")}'`,
    },
    {
      name: "Node ImapFlow",
      seen: "https://github.com/postalsys/imapflow/issues/80",
      wrap: (t) =>
        `Error: Command failed\n    at /app/node_modules/imapflow/lib/imap-flow.js:371:33 {\n  response: '${t}',\n  responseStatus: 'NO',\n  responseText: '${t.replace(/^(?:A01|\*) NO /, "")}'\n}`,
    },
    {
      name: "Jakarta Mail",
      seen: "https://github.com/FlowCrypt/flowcrypt-android/issues/196",
      wrap: (t) =>
        `javax.mail.AuthenticationFailedException: ${t.replace(/^(?:A01|\*) NO /, "")}\n        at com.sun.mail.imap.IMAPStore.protocolConnect(IMAPStore.java:727)`,
    },
  ],
  network: [
    {
      name: "application log line",
      seen: "https://github.com/nodemailer/nodemailer/issues/1650",
      wrap: (t) => `[2024-05-01 06:57:54] ERROR [lXXxS9vMoVs] ${t}`,
    },
    {
      name: "structured JSON log",
      seen: "https://github.com/googleapis/google-auth-library-nodejs/issues/1423",
      wrap: (t) => JSON.stringify({ level: "error", time: "2024-05-01T06:57:54Z", msg: t }),
    },
  ],
  local: [
    {
      name: "Python traceback",
      seen: "https://github.com/googleapis/google-auth-library-python/issues/659",
      wrap: (t) =>
        `Traceback (most recent call last):\n  File "/srv/app/mail.py", line 41, in connect\n    creds.refresh(Request())\n${t}`,
    },
    {
      name: "structured JSON log",
      seen: "https://github.com/googleapis/google-auth-library-nodejs/issues/1423",
      wrap: (t) => JSON.stringify({ level: "error", time: "2024-05-01T06:57:54Z", msg: t }),
    },
  ],
  page: [
    {
      name: "the page's HTML source",
      seen: "https://github.com/googleapis/google-api-php-client/issues/501",
      wrap: (t) =>
        `<html><body><div class="error">${t
          .split("\n")
          .map((l) => `<p>${l.replace(/&/g, "&amp;").replace(/'/g, "&#39;").replace(/"/g, "&quot;")}</p>`)
          .join("")}</div></body></html>`,
    },
    {
      name: "a quoted issue comment",
      seen: "https://github.com/vitalif/grive2/issues/382",
      wrap: (t) => `When I try to connect I get:\n\n${indent(t, "> ")}\n\nAny idea?`,
    },
  ],
};

/**
 * Google's page in other languages: the prose and the labels are localized, the code stays in English. Each line
 * format is copied from a real localized page pasted in a public thread (`seen`); the prose, where one was pasted.
 */
const LANGUAGES: readonly {
  readonly lang: string;
  readonly seen: string;
  readonly code: (status: string, code: string) => string;
  readonly prose?: string;
  readonly details?: string;
}[] = [
  {
    lang: "fr",
    seen: "https://github.com/keeweb/keeweb/issues/2245",
    code: (n, c) => `Erreur ${n} : ${c}`,
    prose:
      "Vous ne pouvez pas vous connecter à cette appli, car elle ne respecte pas le règlement OAuth 2.0 de Google.",
  },
  {
    lang: "es",
    seen: "https://github.com/dacastro4/laravel-gmail/issues/264",
    code: (n, c) => `Error ${n}: ${c}`,
    prose: "No puedes acceder a esta app porque no cumple con la política OAuth 2.0 de Google.",
  },
  {
    lang: "nl",
    seen: "https://github.com/home-assistant/home-assistant.io/issues/42509",
    code: (n, c) => `Fout ${n}: ${c}`,
    details: "Details van verzoek:",
  },
  {
    lang: "pt",
    seen: "https://autogestaohomeoffice.blogspot.com",
    code: (n, c) => `Erro ${n}: ${c}`,
    details: "Detalhes da solicitação:",
  },
  {
    lang: "it",
    seen: "https://github.com/jneilliii/OctoPrint-GoogleDriveBackup/issues/28",
    code: (n, c) => `Errore ${n}: ${c}`,
  },
  {
    lang: "ja",
    seen: "https://support.itmc.i.moneyforward.com/l/ja/article/x6sms6m4ja-google-oauth",
    code: (n, c) => `エラー ${n}: ${c}`,
  },
  { lang: "ko", seen: "https://github.com/yong076/agent-cat-releases/issues/41", code: (n, c) => `${n} 오류 : ${c}` },
];

/** The entry's page in another language: its "Error NNN: code" line and labels translated, English prose left out. */
function localized(v: VocabularyEntry, l: (typeof LANGUAGES)[number]): string | undefined {
  const m = /^Error (\d{3}): ([a-z_]+)$/m.exec(v.says);
  if (!m) return undefined;
  const details = /^Request details: (.*)$/m.exec(v.says)?.[1];
  return [
    l.code(m[1]!, m[2]!),
    ...(l.prose ? [l.prose] : []),
    ...(details ? [`${l.details ?? "Request details:"} ${details}`] : []),
  ].join("\n");
}

/**
 * Page entries whose English sentence, not their code, names the cause: "Error 400: invalid_request" is also the
 * malformed request, the OOB block and a custom scheme; "Error 401: invalid_client" also the missing support email.
 */
const DECIDED_BY_SENTENCE = new Set<string | null>([
  "oob_flow_blocked",
  "custom_scheme_on_web_client",
  "custom_scheme_disabled",
  "consent_screen_incomplete",
]);

function expectReading(input: string, v: VocabularyEntry): void {
  const r = explain(input);
  expect(r.diagnosis, input).toBe(v.code);
  if (v.code === null) expect(r.note, `recognised as not a setup problem: ${input}`).toBeTruthy();
}

describe("the vocabulary", () => {
  test("every entry names a code of the catalogue or says why it is not a setup problem, and cites a source", () => {
    for (const v of VOCABULARY) {
      expect(v.source).toMatch(/^https:\/\//);
      if (v.code === null) expect(v.why?.length ?? 0, v.says).toBeGreaterThan(10);
      else expect(DIAGNOSIS_CODES).toContain(v.code);
    }
  });

  test("every code a rule can give has a vocabulary entry, in the family of a rule that gives it", () => {
    for (const f of FAMILIES) {
      const said = new Set(VOCABULARY.map((v) => v.code));
      for (const r of f.rules) if (r.code) expect(said.has(r.code), `${f.id}: ${r.id} → ${r.code}`).toBe(true);
    }
  });

  test("precedence is stated, not positional: every rule has its own number", () => {
    const numbers = RULES.map((r) => r.precedence);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
  });

  describe.each(VOCABULARY.map((v) => [`${v.family}: ${v.says.split("\n")[0]!.slice(0, 70)}`, v] as const))(
    "%s",
    (_name, v) => {
      test("raw", () => expectReading(v.says, v));
      const wrappers = WRAPPERS[v.channel].filter((w) => {
        try {
          w.wrap(v.says);
          return true;
        } catch {
          return false; // a wrapper that needs a JSON body, for a text that is not one
        }
      });
      test(`in ${wrappers.length} wrappers`, () => {
        expect(wrappers.length).toBeGreaterThanOrEqual(2);
        for (const w of wrappers) expectReading(w.wrap(v.says), v);
      });
      const pages = v.channel === "page" ? LANGUAGES.flatMap((l) => localized(v, l) ?? []) : [];
      // Without its English sentence, a localized page is read from its code and its Request details. The entry's
      // reading must be the answer, except where only the English sentence decided between the code's readings: there
      // it must be among the others offered.
      if (pages.length > 0)
        test(`in ${pages.length} languages besides English`, () => {
          expect(pages.length).toBeGreaterThanOrEqual(3);
          for (const p of pages) {
            const r = explain(p);
            if (r.diagnosis !== v.code && DECIDED_BY_SENTENCE.has(v.code))
              expect(r.alternatives?.map((a) => a.code) ?? [], p).toContain(v.code);
            else expect(r.diagnosis, p).toBe(v.code);
          }
        });
    },
  );
});

/** The mangling a paste goes through on its way to an issue, a chat or a log (issue 24, "however they arrive"). */
const MANGLINGS: readonly { readonly name: string; readonly apply: (t: string) => string; readonly skip?: RegExp }[] = [
  { name: "JSON-escaped inside a structured log", apply: (t) => JSON.stringify({ level: "error", err: t }) },
  { name: "JSON-escaped twice", apply: (t) => JSON.stringify({ msg: JSON.stringify({ error: t }) }) },
  { name: "URL-encoded", apply: (t) => encodeURIComponent(t) },
  {
    name: "HTML entities",
    apply: (t) =>
      t
        .replace(/&/g, "&amp;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&#39;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;"),
  },
  { name: "a markdown fence", apply: (t) => `Here is what I get:\n\n\`\`\`\n${t}\n\`\`\`\n\nThanks!` },
  { name: "whitespace collapsed onto one line", apply: (t) => t.replace(/\s+/g, " ") },
  { name: "CRLF line endings and trailing spaces", apply: (t) => t.replace(/\n/g, "  \r\n") },
  // Base64 does not survive a change of case; everything Google says in words does.
  { name: "upper case", apply: (t) => t.toUpperCase(), skip: /eyJzdGF0dXMi/ },
  {
    name: "one line among 200 of an unrelated log",
    apply: (t) => {
      const noise = Array.from(
        { length: 100 },
        (_, i) => `2024-05-01T10:00:${String(i % 60).padStart(2, "0")}Z INFO job ${i} done`,
      );
      return [...noise, t, ...noise].join("\n");
    },
  },
  {
    name: "addresses and IDs redacted",
    apply: (t) =>
      t
        .replace(/[\w.+-]+@[\w-]+\.[\w.-]+/g, "XXXX@XXXX.com")
        .replace(/\b\d{6,}-[a-z0-9]+\.apps\.googleusercontent\.com/g, "***.apps.googleusercontent.com")
        .replace(/project[= ](\d{6,})/g, "project=..."),
  },
];

describe("the vocabulary through the mangling people do", () => {
  for (const m of MANGLINGS)
    test(m.name, () => {
      const wrong: string[] = [];
      for (const v of VOCABULARY) {
        if (m.skip?.test(v.says)) continue;
        const text = m.apply(v.says);
        const got = explain(text).diagnosis;
        if (got !== v.code) wrong.push(`${v.says.split("\n")[0]!.slice(0, 80)} → ${got} (expected ${v.code})`);
      }
      expect(wrong).toEqual([]);
    });
});
