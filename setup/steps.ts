// The steps `gmail-oauth setup` walks, in the runbook's order. The wording, links and values are the runbook's own
// (connection/runbook.ts consoleRunbookSteps); what setup adds is the check that proves each step the moment it is
// done, from the validator: Service Usage, the client JSON with the live authorize and token probes, a real consent
// as the mailbox (validate --flow's), and the app's redirect endpoint.
import { ENV } from "../common/env";
import { consoleLink } from "../google/consoleLinks";
import { consoleRunbookSteps, type RunbookStep } from "../connection/runbook";
import { PRESETS } from "../connection/presets";
import { type ConnectionSpec, firstClient } from "../connection/types";
import { diagnosisResult } from "../validator/diagnoses";
import { runFlow } from "../validator/flow/consentFlow";
import { chooseLoopbackRedirect } from "../validator/flow/redirect";
import {
  appRedirectTargets,
  checkAppRedirect,
  checkAuthorize,
  checkGmailApi,
  checkToken,
  liveContext,
} from "../validator/live";
import { offlineChecks, skip } from "../validator/offline";
import type { CheckResult } from "../validator/types";
import type { CliIo } from "../common/io";
import type { SetupAnswers } from "./progress";
import { loopbackOf, validationInput, type LoadedClient, type SetupEnv } from "./session";

/** What a step's gather and check see. */
export interface StepContext {
  readonly io: CliIo;
  readonly answers: SetupAnswers;
  readonly run: SetupEnv;
  spec(): ConnectionSpec;
  /** The client JSON, once read in this run (a resumed run reads it again from its path, or asks for it). */
  client?: LoadedClient;
  /** Ends long waits early (Ctrl-C). */
  readonly signal: AbortSignal;
  /** Called around the consent flow, which reads pasted addresses from stdin itself. */
  handOverStdin?(owned: boolean): void;
}

export interface SetupStep {
  readonly key: string;
  readonly title: string;
  readonly link?: string;
  /** What to do, as plain lines for a terminal (the runbook's Markdown, `{key}` already turned into step numbers). */
  readonly lines: readonly string[];
  /** What proves the step, said before it runs; for a step no API can read, which later step proves it. */
  readonly proof: string;
  /** Needs the client JSON in memory before its check (asked for, or read again from its path). */
  readonly needsClient?: boolean;
  /** The check stops cleanly on ctx.signal by itself (the consent flow), so the engine waits for it. */
  readonly handlesSignal?: boolean;
  readonly check?: (ctx: StepContext) => Promise<CheckResult[]>;
}

/** Runbook Markdown as terminal text: no emphasis marks or backticks (values are pasted as shown). */
export function plainLine(line: string, number: (key: string) => number | undefined): string {
  return line
    .replace(/\{(\w+)\}/g, (m, key: string) => String(number(key) ?? m))
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/`([^`]*)`/g, "$1");
}

const CHECK_KEYS = ["gmail", "start", "branding", "audience", "scopes", "client0"] as const;

/** The steps for one spec, numbered from 1; the runbook's credentials, wait and validate steps are what setup itself does. */
export function setupSteps(spec: ConnectionSpec, answers: SetupAnswers): SetupStep[] {
  const runbook = new Map(consoleRunbookSteps(spec).map((s) => [s.key, s]));
  const order = [...CHECK_KEYS.filter((k) => runbook.has(k)), "consent", "app"];
  const numberOf = (key: string) => {
    const i = order.indexOf(key === "client0" ? "client0" : key);
    return i >= 0 ? i + 1 : undefined;
  };
  const consentNo = numberOf("consent")!;
  const plain = (s: RunbookStep) => s.body.map((l) => plainLine(l, numberOf));
  const c = firstClient(spec);
  const steps: SetupStep[] = [];
  for (const key of order) {
    const rb = runbook.get(key);
    if (key === "gmail" && rb) {
      steps.push({
        key: "project",
        title: `Project ${spec.project.id} and the ${rb.title.replace(/^Enable the /, "")}`,
        link: rb.link,
        lines: [
          `The project ${spec.project.id} must exist (create it at ${consoleLink("projectCreate")} if not).`,
          ...plain(rb),
        ],
        proof: `Service Usage reads the Gmail API's state (needs ${ENV.cloudAccessToken} or Application Default Credentials; without them the consent at step ${consentNo} proves it instead).`,
        check: projectCheck(consentNo),
      });
    } else if (key === "client0" && rb) {
      steps.push({
        key: "client",
        title: rb.title.replace(/`/g, ""),
        link: rb.link,
        lines: [
          ...plain(rb).filter((l) => !/^Click \*?\*?Create/.test(l) && !l.startsWith("Click Create")),
          `- Also add ${loopbackOf(answers)} under Authorized redirect URIs: setup listens there once, for the test sign-in of step ${consentNo} (you may remove it afterwards).`,
          "Click Create, then Download JSON in the dialog (or the client's download button): the file holds the client ID and the secret.",
        ],
        proof:
          "The client JSON is read (its type and the exact redirect URIs registered), then Google's authorization endpoint is asked about the app's redirect URI and the token endpoint about the secret.",
        needsClient: true,
        check: clientCheck,
      });
    } else if (rb) {
      const later =
        key === "audience"
          ? `No Google API can read this: the sign-in at step ${consentNo} proves the mailbox is admitted.`
          : key === "scopes"
            ? `No Google API can read this: the sign-in at step ${consentNo} proves the scopes are granted.`
            : `No Google API can read this; the consent page at step ${consentNo} shows the app name.`;
      steps.push({ key, title: rb.title, link: rb.link, lines: plain(rb), proof: later });
    } else if (key === "consent") {
      steps.push({
        key,
        title: `Sign in as ${answers.account} (audience, test users, scopes, Gmail)`,
        lines: [
          `A real consent, as validate --flow runs it: sign in as ${answers.account} and allow the access asked for.`,
          spec.audience.userType === "external" && spec.audience.publishingStatus === "testing"
            ? `The app is in Testing, so ${answers.account} must be on the test users of step ${numberOf("audience")}.`
            : `The ${spec.audience.userType} app admits ${answers.account} only as its audience allows.`,
          "On a server without a browser, open the address shown on another machine and paste the address the browser lands on here.",
        ],
        proof:
          "The code arrives, is exchanged, the token is checked (audience, scopes, Gmail, account) and then revoked: no grant is left behind.",
        needsClient: true,
        handlesSignal: true,
        check: consentCheck,
      });
    } else if (key === "app") {
      steps.push({
        key,
        title: `${PRESETS[c.preset as keyof typeof PRESETS]?.label ?? "The app"}'s redirect endpoint answers`,
        lines: [
          `The app must be reachable at ${c.redirectUris.join(", ")}: that is where Google sends the person back.`,
          PRESETS[c.preset as keyof typeof PRESETS]?.notes ?? "",
        ].filter(Boolean),
        proof: "An HTTP request to the redirect URI: any answer but a refused connection or a 404 passes.",
        check: appCheck,
      });
    }
  }
  return steps;
}

function projectCheck(consentNo: number) {
  return async (ctx: StepContext): Promise<CheckResult[]> => {
    const input = validationInput(ctx.spec(), ctx.answers, ctx.run, undefined);
    const result = await checkGmailApi(liveContext(input));
    if (result.diagnosis === "cloud_credentials_missing")
      return [
        skip(
          result.id,
          result.title,
          `deferred to step ${consentNo}: no Cloud credential to ask Service Usage (${result.detail}); the token's Gmail call proves it there`,
        ),
      ];
    return [result];
  };
}

async function clientCheck(ctx: StepContext): Promise<CheckResult[]> {
  const spec = ctx.spec();
  const input = validationInput(spec, ctx.answers, ctx.run, ctx.client);
  const wanted = (r: CheckResult) =>
    r.id === "offline.client-file" || r.id === "offline.client-secret" || r.id.startsWith("offline.redirect-uri");
  const declared = spec.clients[0]?.type;
  const offline = offlineChecks(input)
    .filter(wanted)
    .map((r) =>
      // The app's preset fixes the client type: a Desktop file is the mistake even when the app's URI is a loopback
      // one (which the validator alone cannot tell from a Desktop redirect).
      r.id === "offline.client-file" && r.status === "pass" && declared === "web" && input.clientType === "desktop"
        ? diagnosisResult("client_file_desktop_type", {
            id: r.id,
            status: "fail",
            project: input.project,
            clientId: input.clientId,
            detail: `${ctx.client?.source} is an "installed" (Desktop) client, but ${spec.clients[0]?.preset ?? "the app"} needs a Web application client`,
          })
        : r,
    );
  // A Desktop client or a file that is no client: asking Google about it would only repeat the verdict.
  if (offline.some((r) => r.id === "offline.client-file" && r.status === "fail")) return offline;
  const results = [...offline];
  const choice = chooseLoopbackRedirect({
    clientType: input.clientType,
    registeredRedirectUris: input.registeredRedirectUris,
    redirectUris: input.redirectUris,
  });
  results.push(
    choice.kind === "missing"
      ? diagnosisResult("loopback_redirect_missing", {
          id: "setup.loopback",
          status: "fail",
          project: input.project,
          clientId: input.clientId,
          detail: choice.detail,
        })
      : { id: "setup.loopback", status: "pass", title: "Loopback redirect for the test sign-in", detail: choice.note },
  );
  const live = liveContext(input);
  results.push(...(await Promise.all(input.redirectUris.map((uri) => checkAuthorize(live, uri)))));
  if (input.clientSecret) results.push(await checkToken(live));
  // The downloaded file is fresh, so a redirect URI missing from it is the mistake itself, not a stale download.
  return results.map((r) =>
    r.id.startsWith("offline.redirect-uri") && r.diagnosis === "redirect_uri_not_registered"
      ? { ...r, status: "fail" }
      : r,
  );
}

async function consentCheck(ctx: StepContext): Promise<CheckResult[]> {
  const input = validationInput(ctx.spec(), ctx.answers, ctx.run, ctx.client);
  ctx.handOverStdin?.(true);
  try {
    return await runFlow(input, { io: ctx.io, noBrowser: ctx.run.noBrowser, signal: ctx.signal });
  } finally {
    ctx.handOverStdin?.(false);
  }
}

async function appCheck(ctx: StepContext): Promise<CheckResult[]> {
  const input = validationInput(ctx.spec(), ctx.answers, ctx.run, ctx.client);
  const live = liveContext(input);
  return Promise.all(
    appRedirectTargets(input).map((t) =>
      t.skip
        ? skip(`live.app-redirect[${t.uri}]`, "The app's redirect endpoint answers", t.skip)
        : checkAppRedirect(live, t.uri),
    ),
  );
}
