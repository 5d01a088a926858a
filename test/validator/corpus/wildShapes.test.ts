// Issue 11, property: a real pasted error keeps its diagnosis whatever it arrives wrapped in. Each counted corpus case
// is carried in the shapes people paste it in (a log line prefix, a structured-log JSON string, a quoted or fenced
// comment, HTML-escaped, CRLF) and in each client library's exception shape for the channel it came from, with
// unrelated log lines around it; `explain` must still give the expected code. Every case runs once in every carrier it
// fits, then fast-check draws more cases and noise from a fixed seed, so a failure reproduces.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { explain } from "../../../validator/explain";
import { readSignals } from "../../../validator/diagnosis/signals";
import { counts, loadWild, type WildCase } from "./wild";

const SEED = 11;
// The property is invariance: a case the raw paste already gets right must stay right in every carrier (the corpus
// test measures the raw figures, misses included). The tune split only: the test split is never tuned on.
const CASES = loadWild("tune")
  .filter(counts)
  .filter((c) => explain(c.input).diagnosis === c.expected);

/** Log lines that say nothing about OAuth, Google or mail: the context a paste is cut from. */
const NOISE = [
  "2024-03-01T10:00:00.118Z INFO  worker[3] started, 4 jobs queued",
  '[2024-03-01 10:00:01] local.INFO: Scheduler tick {"due":2}',
  "GET /healthz 200 2.113 ms - 2",
  "DEBUG cache hit key=user:42 ttl=300",
  "Listening on http://0.0.0.0:8080",
  "npm WARN deprecated uuid@3.4.0: Please upgrade to version 7 or higher.",
  "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
  "INFO:root:loaded settings from /etc/app/settings.toml",
  "2024/03/01 10:00:02 db: migrated to version 17",
  "Warning: session_start(): Session cookie parameters cannot be changed",
  "I, [2024-03-01T10:00:03.000 #1234]  INFO -- : Completed 200 OK in 12ms",
  "info: Microsoft.Hosting.Lifetime[0] Application started. Press Ctrl+C to shut down.",
];

type Channel = "exchange" | "refresh" | "api" | "network" | "other";

/** Which library shells are plausible for a case: a token-endpoint error is never raised as an API exception, and a
 * code exchange never as a refresh error. */
function channel(c: WildCase): Channel {
  const s = readSignals(c.input);
  // A failure on the network is the runtime's own words (Go's x509, Node's ECONNRESET): no other library's shell.
  if (s.network) return "network";
  if (s.endpoint === "token" || s.grant) return s.grant === "authorization_code" ? "exchange" : "refresh";
  if (s.endpoint === "api" || s.api || s.reasons.length > 0) return "api";
  return "other";
}

const TOKEN: readonly Channel[] = ["exchange", "refresh"];
const ANY: readonly Channel[] = ["exchange", "refresh", "api", "network", "other"];

interface Carrier {
  readonly name: string;
  readonly wrap: (input: string, ch: Channel, status: number) => string | undefined;
}

const lines = (input: string, f: (line: string) => string) => input.split("\n").map(f).join("\n");
const REASON_PHRASE: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
const PY_FRAMES = `Traceback (most recent call last):\n  File "/srv/app/mailer.py", line 88, in send_digest\n    service.users().messages().send(userId="me", body=msg).execute()\n  File "/srv/venv/lib/python3.11/site-packages/googleapiclient/_helpers.py", line 130, in positional_wrapper\n    return wrapped(*args, **kwargs)`;
const JAVA_FRAMES = `\n\tat com.example.mail.GmailSender.send(GmailSender.java:57)\n\tat com.example.mail.Main.main(Main.java:12)`;

/** Generic carriers fit every case; library carriers fit the channels that library raises them on. */
const CARRIERS: readonly (Carrier & { readonly channels: readonly Channel[] })[] = [
  {
    name: "log prefix on every line",
    channels: ANY,
    wrap: (t) => lines(t, (l) => `2024-03-01 10:00:04,512 ERROR [mailer] ${l}`),
  },
  {
    name: "structured log JSON string",
    channels: ANY,
    wrap: (t) => JSON.stringify({ level: "error", time: "2024-03-01T10:00:04.512Z", msg: "send failed", err: t }),
  },
  { name: "markdown quote", channels: ANY, wrap: (t) => lines(t, (l) => `> ${l}`) },
  {
    name: "markdown fence",
    channels: ANY,
    wrap: (t) => `I get this when I try to connect:\n\n\`\`\`\n${t}\n\`\`\`\n\nAny idea?`,
  },
  {
    name: "HTML-escaped",
    channels: ANY,
    wrap: (t) =>
      `<pre>${t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")}</pre>`,
  },
  { name: "CRLF line endings", channels: ANY, wrap: (t) => t.replace(/\n/g, "\r\n") },
  {
    name: "Python google-auth RefreshError",
    channels: ["refresh"],
    wrap: (t) => `${PY_FRAMES}\ngoogle.auth.exceptions.RefreshError: ${t}`,
  },
  {
    name: "Python googleapiclient HttpError",
    channels: ["api"],
    wrap: (t) => `${PY_FRAMES}\ngoogleapiclient.errors.HttpError: ${t}`,
  },
  {
    name: "Python oauth2client",
    channels: ["refresh"],
    wrap: (t) => `${PY_FRAMES}\noauth2client.client.HttpAccessTokenRefreshError: ${t}`,
  },
  {
    name: "Node GaxiosError",
    channels: ["exchange", "refresh", "api"],
    wrap: (t) =>
      `GaxiosError: ${t}\n    at Gaxios._request (/app/node_modules/gaxios/build/src/gaxios.js:142:23)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async Mailer.send (/app/dist/mailer.js:41:9)`,
  },
  {
    name: "Go oauth2",
    channels: TOKEN,
    wrap: (t, _ch, status) =>
      /oauth2: /.test(t)
        ? undefined
        : `2024/03/01 10:00:04 Unable to retrieve token: oauth2: cannot fetch token: ${status} ${REASON_PHRASE[status] ?? ""}\nResponse: ${t}\nexit status 1`,
  },
  {
    name: "Go log.Fatalf",
    channels: ["exchange", "refresh", "api"],
    wrap: (t) => `2024/03/01 10:00:04 Unable to send message: ${t}\nexit status 1`,
  },
  {
    name: "Java TokenResponseException",
    channels: TOKEN,
    wrap: (t) =>
      `Exception in thread "main" com.google.api.client.auth.oauth2.TokenResponseException: ${t}${JAVA_FRAMES}`,
  },
  {
    name: "Java GoogleJsonResponseException",
    channels: ["api"],
    wrap: (t) =>
      `Exception in thread "main" com.google.api.client.googleapis.json.GoogleJsonResponseException: ${t}${JAVA_FRAMES}`,
  },
  {
    name: "PHP Google_Service_Exception",
    channels: ["api"],
    wrap: (t) =>
      `PHP Fatal error:  Uncaught Google_Service_Exception: ${t} in /var/www/html/vendor/google/apiclient/src/Http/REST.php:134\nStack trace:\n#0 /var/www/html/vendor/google/apiclient/src/Http/REST.php(107): Google\\Http\\REST::decodeHttpResponse()\n#1 {main}\n  thrown in /var/www/html/vendor/google/apiclient/src/Http/REST.php on line 134`,
  },
  {
    name: "PHP Guzzle ClientException",
    channels: TOKEN,
    wrap: (t, _ch, status) =>
      `PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ClientException: Client error: \`POST https://oauth2.googleapis.com/token\` resulted in a \`${status} ${REASON_PHRASE[status] ?? ""}\` response:\n${t}\n in /var/www/html/vendor/guzzlehttp/guzzle/src/Exception/RequestException.php:113`,
  },
  {
    name: "Ruby Signet",
    channels: TOKEN,
    wrap: (t) =>
      `Signet::AuthorizationError: ${t}\n\tfrom /usr/local/bundle/gems/signet-0.19.0/lib/signet/oauth_2/client.rb:1032:in \`fetch_access_token'\n\tfrom bin/send:4:in \`<main>'`,
  },
  {
    name: "Ruby google-apis ClientError",
    channels: ["api"],
    wrap: (t) =>
      `Google::Apis::ClientError: ${t}\n\tfrom /usr/local/bundle/gems/google-apis-core-0.11.3/lib/google/apis/core/http_command.rb:229:in \`check_status'\n\tfrom bin/send:4:in \`<main>'`,
  },
  {
    name: ".NET TokenResponseException",
    channels: TOKEN,
    wrap: (t) =>
      `Unhandled exception. Google.Apis.Auth.OAuth2.Responses.TokenResponseException: ${t}\n   at Google.Apis.Auth.OAuth2.Requests.TokenRequestExtenstions.ExecuteAsync(TokenRequest request, HttpClient httpClient, String tokenServerUrl, CancellationToken taskCancellationToken, IClock clock, ILogger logger)\n   at Mailer.Program.Main(String[] args) in /src/Mailer/Program.cs:line 31`,
  },
  {
    name: ".NET GoogleApiException",
    channels: ["api"],
    wrap: (t) =>
      `Unhandled exception. Google.GoogleApiException: ${t}\n   at Google.Apis.Requests.ClientServiceRequest\`1.ParseResponse(HttpResponseMessage response)\n   at Mailer.Program.Main(String[] args) in /src/Mailer/Program.cs:line 31`,
  },
];

const noise = fc.array(fc.constantFrom(...NOISE), { maxLength: 4 }).map((ls) => ls.join("\n"));

function surround(before: string, body: string, after: string): string {
  return [before, body, after].filter((p) => p !== "").join("\n");
}

describe("a real error keeps its diagnosis in every shape it is pasted in", () => {
  for (const carrier of CARRIERS) {
    const cases = CASES.filter(
      (c) => carrier.channels.includes(channel(c)) && carrier.wrap(c.input, channel(c), 400) !== undefined,
    );
    test(`${carrier.name} (${cases.length} cases), with unrelated log lines around it`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...cases), noise, noise, (c, before, after) => {
          const wrapped = surround(
            before,
            carrier.wrap(c.input, channel(c), readSignals(c.input).httpStatus ?? 400)!,
            after,
          );
          expect(explain(wrapped).diagnosis, `${c.source}\n${wrapped}`).toBe(c.expected);
        }),
        // Every case once with a line of noise either side, then random cases with random noise.
        {
          seed: SEED,
          numRuns: 200,
          examples: cases.map(
            (c, i) => [c, NOISE[i % NOISE.length]!, NOISE[(i + 5) % NOISE.length]!] as [WildCase, string, string],
          ),
        },
      );
    });
  }
});
