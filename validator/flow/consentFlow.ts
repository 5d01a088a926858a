// `validate --flow`: the real consent flow with a loopback redirect (issue 5). Progress goes to stderr; the results
// come back to validate's handler, which appends them to the preflight report.
import type { CliIo } from "../../common/io";
import { ENV } from "../../common/env";
import { InputError, Interrupted } from "../../common/errors";
import { watchSignals, type SignalWatch } from "../../common/processSignals";
import { redact, redactValue, registerSecret } from "../../common/redact";
import { googleEndpoints } from "../../google/endpoints";
import { diagnosisResult } from "../diagnoses";
import { unansweredResult } from "../unanswered";
import type { CheckResult, DiagnosisCode, ValidationInput } from "../types";
import { exchangeCode, refreshAccessToken, revokeToken, type CallContext } from "../token/calls";
import { accessTokenChecks, refreshTokenPresent, tokenErrorResult, type TokenCheckContext } from "../token/tokenChecks";
import { describeOAuthError } from "../token/tokenErrors";
import { writeKeptToken } from "../token/tokenFile";
import { checkWritableTarget } from "../../common/files";
import { buildAuthorizeUrl } from "../../google/authorizeUrl";
import { flowScopes } from "./flowScopes";
import { openInBrowser } from "./browser";
import type { CallbackOutcome } from "./callback";
import { noCallbackDetail } from "./hints";
import { LoopbackBindError, startLoopbackServer, type LoopbackServer } from "./loopback";
import { watchPastedRedirect, type PasteWatcher } from "./paste";
import { classifyCallbackError, readAuthError } from "../classify";
import { newFlowSecrets } from "./flowSecrets";
import { chooseLoopbackRedirect } from "./redirect";

export interface FlowOptions {
  readonly io: CliIo;
  readonly noBrowser?: boolean;
  readonly keepToken?: string;
  /** Opens the consent page; tests pass one that drives a browser. Defaults to $BROWSER or the system opener. */
  readonly openUrl?: (url: string) => Promise<void>;
  /** Ends the wait for the person early (Ctrl-C in `setup`); a code already received is still exchanged and revoked. */
  readonly signal?: AbortSignal;
}

/**
 * --timeout bounds the whole run (issue 8): the wait for the person ends early enough to leave the token checks this
 * much of it (at most a quarter of what is left), and they run to the run's deadline.
 */
const TOKEN_CHECKS_RESERVE_MS = 15_000;
/** Revoking is cleanup that keeps a live refresh token from outliving the run: it may overrun the deadline by this. */
export const REVOKE_GRACE_MS = 5_000;

type WaitOutcome =
  | { readonly kind: "callback"; readonly via: string; readonly callback: CallbackOutcome }
  | { readonly kind: "timeout" }
  | { readonly kind: "cancelled" }
  | { readonly kind: "interrupted"; readonly signal: NodeJS.Signals }
  | { readonly kind: "open_failed"; readonly reason: string };

function checkKeepTokenTarget(file: string, cwd: string): Promise<string> {
  return checkWritableTarget("--keep-token", file, cwd);
}

/**
 * The flow's own input errors (exit 2), checked before anything runs: `validate --flow` calls this ahead of the
 * preflight, so a bad --keep-token path is reported at once, not after a minute of live checks.
 */
export async function checkFlowInput(
  input: ValidationInput,
  opts: Pick<FlowOptions, "io" | "keepToken">,
): Promise<{ clientId: string; keepFile?: string }> {
  if (!input.clientId)
    throw new InputError(
      "--client-id",
      "the consent flow needs the OAuth client ID",
      "pass --client-secret-file with the client JSON, or --client-id",
    );
  if (!input.clientSecret)
    throw new InputError(
      "--client-secret-file",
      "the consent flow needs the client secret: Google requires it at the token endpoint even with PKCE",
      `pass the downloaded client JSON, or set ${ENV.clientSecret}`,
    );
  if (input.scopes.length === 0)
    throw new InputError(
      "--scope",
      "no scopes to request",
      "declare the connection's scopes in the spec or pass --scope",
    );
  registerSecret(input.clientSecret);
  const keepFile = opts.keepToken ? await checkKeepTokenTarget(opts.keepToken, opts.io.cwd) : undefined;
  return { clientId: input.clientId, keepFile };
}

/**
 * Runs the flow. Every way the wait can end (callback, paste, refusal, timeout, Ctrl-C) closes the listener, stops
 * reading stdin and leaves no live grant (issue 14 §1). Ctrl-C or SIGTERM throws Interrupted once that is done.
 */
export async function runFlow(input: ValidationInput, opts: FlowOptions): Promise<CheckResult[]> {
  const checked = await checkFlowInput(input, opts);
  // A caller with its own Ctrl-C handling (setup) passes opts.signal and decides; otherwise the flow watches itself.
  const interrupt = opts.signal ? undefined : watchSignals();
  try {
    const results = await flowSteps(input, opts, checked, interrupt);
    const signal = interrupt?.received();
    if (signal) {
      const revoke = results.find((r) => r.id === "flow.revoke");
      throw new Interrupted(
        signal,
        revoke?.status === "pass"
          ? "the test grant was revoked before exiting"
          : revoke
            ? `the test grant could not be revoked (${revoke.detail}); remove it at https://myaccount.google.com/permissions`
            : "nothing was left running",
      );
    }
    return results;
  } finally {
    interrupt?.stop();
  }
}

async function flowSteps(
  input: ValidationInput,
  opts: FlowOptions,
  { clientId, keepFile }: { clientId: string; keepFile?: string },
  interrupt: SignalWatch | undefined,
): Promise<CheckResult[]> {
  const { io } = opts;
  const say = (line: string) => io.stderr.write(`${redact(line)}\n`);

  const diag = (
    code: DiagnosisCode,
    id: string,
    status: CheckResult["status"],
    detail: string,
    extra: { inferred?: boolean } = {},
  ) => diagnosisResult(code, { id, status, detail, project: input.project, clientId, ...extra });

  const choice = chooseLoopbackRedirect({
    clientType: input.clientType,
    registeredRedirectUris: input.registeredRedirectUris,
    redirectUris: input.redirectUris,
  });
  if (choice.kind === "missing") return [diag("loopback_redirect_missing", "flow.redirect", "fail", choice.detail)];

  const secrets = newFlowSecrets();
  registerSecret(secrets.verifier);
  let server: LoopbackServer;
  try {
    server = await startLoopbackServer(choice.plan, secrets.state);
  } catch (e) {
    if (!(e instanceof LoopbackBindError)) throw e;
    return [
      {
        id: "flow.redirect",
        status: "inconclusive",
        title: "Loopback listener",
        detail: `Could not listen for ${choice.note}: ${e.message}.`,
        fix: "Stop whatever listens on that port (often the app's own dev server), or register another loopback redirect URI such as http://127.0.0.1:8085/ on the client.",
      },
    ];
  }

  const results: CheckResult[] = [
    {
      id: "flow.redirect",
      status: "pass",
      title: "Loopback redirect",
      detail: `Listening on ${server.redirectUri} (${choice.note}), bound to ${choice.plan.bindHost} only.`,
    },
  ];
  const requested = flowScopes(input.scopes, input.account);
  const url = buildAuthorizeUrl(googleEndpoints(input.googleOrigin), {
    clientId,
    redirectUri: server.redirectUri,
    scopes: requested,
    secrets,
    account: input.account,
  });
  const remaining = Math.max(0, input.deadline - Date.now());
  const waitMs = remaining - Math.min(TOKEN_CHECKS_RESERVE_MS, Math.floor(remaining / 4));
  const started = Date.now();

  let paste: PasteWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let wait: WaitOutcome;
  try {
    const waiters: Promise<WaitOutcome>[] = [
      server.callback.then((callback) => ({ kind: "callback" as const, via: "the loopback redirect", callback })),
      new Promise<WaitOutcome>((resolve) => (timer = setTimeout(() => resolve({ kind: "timeout" }), waitMs))),
    ];
    if (interrupt) waiters.push(interrupt.signal.then((signal) => ({ kind: "interrupted" as const, signal })));
    if (opts.signal) {
      const signal = opts.signal;
      waiters.push(
        new Promise<WaitOutcome>((resolve) =>
          signal.aborted
            ? resolve({ kind: "cancelled" })
            : signal.addEventListener("abort", () => resolve({ kind: "cancelled" }), { once: true }),
        ),
      );
    }
    if (opts.noBrowser) {
      say(`Open this address in a browser and sign in${input.account ? ` as ${input.account}` : ""}:\n\n  ${url}\n`);
      say(
        `Waiting up to ${Math.round(waitMs / 1000)}s for the redirect to ${server.redirectUri}. If that browser runs on another machine, paste the address it lands on here and press Enter.`,
      );
      paste = watchPastedRedirect(io.stdin, secrets.state, say);
      waiters.push(
        paste.result.then((callback) => ({ kind: "callback" as const, via: "the pasted address", callback })),
      );
    } else {
      say(
        `Opening the consent page${input.account ? ` for ${input.account}` : ""}; waiting up to ${Math.round(waitMs / 1000)}s for the redirect to ${server.redirectUri}.`,
      );
      if (opts.openUrl) {
        waiters.push(
          opts.openUrl(url).then(
            () => new Promise<never>(() => {}),
            (e: unknown) => ({ kind: "open_failed" as const, reason: e instanceof Error ? e.message : String(e) }),
          ),
        );
      } else {
        const opened = await openInBrowser(url, io.env);
        if (!opened.ok) say(`Could not open a browser (${opened.reason}). Open this address yourself:\n\n  ${url}\n`);
        else say(`If no browser window appeared, open this address yourself:\n\n  ${url}\n`);
      }
    }
    wait = await Promise.race(waiters);
  } finally {
    if (timer) clearTimeout(timer);
    paste?.stop();
    await server.close();
  }

  if (wait.kind === "interrupted")
    throw new Interrupted(
      wait.signal,
      "stopped waiting for the consent; the loopback listener is closed and no grant was made",
    );
  if (wait.kind === "open_failed") {
    results.push({
      id: "flow.consent",
      status: "inconclusive",
      title: "Consent",
      detail: `The consent page could not be opened: ${wait.reason}`,
    });
    return redactValue(results);
  }
  if (wait.kind === "cancelled") {
    results.push({
      id: "flow.consent",
      status: "inconclusive",
      title: "Consent",
      detail: "Stopped before the consent arrived; the loopback listener is closed and no grant was made.",
    });
    return redactValue(results);
  }
  if (wait.kind === "timeout") {
    results.push(
      diag(
        "consent_not_completed",
        "flow.consent",
        "inconclusive",
        noCallbackDetail({
          account: input.account,
          audience: input.audience,
          waitedMs: Date.now() - started,
          refused: server.refused(),
        }),
      ),
    );
    return redactValue(results);
  }
  const cb = wait.callback;
  if (cb.kind === "refused") {
    const e = cb.authError;
    const said = `Google showed Error ${e.httpCode ?? "?"}: ${e.error}${e.message ? ` ("${e.message.replace(/\s+/g, " ").trim()}")` : ""}`;
    const { code, inferred } = readAuthError(e);
    const detail = `${said}; read from the error page's address pasted ${wait.via === "the pasted address" ? "on stdin" : `via ${wait.via}`} (its authError decoded).`;
    results.push(
      code
        ? diag(code, "flow.consent", "fail", detail, { inferred })
        : {
            id: "flow.consent",
            status: "fail",
            title: "Google refused the sign-in",
            detail: `${detail} Not in the catalogue: run \`gmail-oauth explain\` on the address.`,
          },
    );
    return redactValue(results);
  }
  if (cb.kind === "error") {
    const seen = `Google redirected back with error=${cb.error}${cb.description ? ` ("${cb.description}")` : ""} via ${wait.via}.`;
    // The same reading `explain` and the live checks give a callback error (validator/classify.ts).
    results.push(diag(classifyCallbackError(cb.error) ?? "consent_not_completed", "flow.consent", "fail", seen));
    return redactValue(results);
  }
  say("Consent received; exchanging the code and checking the token.");
  results.push({
    id: "flow.consent",
    status: "pass",
    title: "Consent completed",
    detail: `The code arrived via ${wait.via} with the expected state.`,
  });
  // From here a grant exists: Ctrl-C skips the remaining checks and revokes it before the process ends.
  void interrupt?.signal.then(() =>
    say("Interrupted: revoking the test grant before exiting (press Ctrl-C again to quit at once)."),
  );
  const interrupted = () => interrupt?.received() !== undefined || opts.signal?.aborted === true;
  results.push(...(await afterCode(input, cb.code, server.redirectUri, secrets.verifier, keepFile, say, interrupted)));
  return redactValue(results);
}

async function afterCode(
  input: ValidationInput,
  code: string,
  redirectUri: string,
  verifier: string,
  keepFile: string | undefined,
  say: (l: string) => void,
  interrupted: () => boolean,
): Promise<CheckResult[]> {
  const call: CallContext = { endpoints: googleEndpoints(input.googleOrigin), deadline: input.deadline };
  const ctx: TokenCheckContext = {
    ...call,
    client: { clientId: input.clientId!, clientSecret: input.clientSecret! },
    requestedScopes: input.scopes,
    account: input.account,
    audience: input.audience,
    project: input.project,
    projectNumber: input.projectNumber,
    transports: input.transports,
    sendTestTo: input.sendTestTo,
  };
  const localExchangeTime = Date.now();
  const exchanged = await exchangeCode(call, ctx.client, code, redirectUri, verifier);
  if (exchanged.kind === "inconclusive")
    return [
      unansweredResult({
        id: "flow.exchange",
        title: "Code exchange",
        detail: exchanged.reason,
        fault: exchanged.fault,
        project: ctx.project,
        clientId: ctx.client.clientId,
      }),
    ];
  if (exchanged.kind === "error")
    return [tokenErrorResult(ctx, "flow.exchange", "Code exchange", exchanged.err, "exchange")];
  const tokens = exchanged.tokens;
  const results: CheckResult[] = [
    {
      id: "flow.exchange",
      status: "pass",
      title: "Code exchanged",
      detail: "The token endpoint accepted the code with the PKCE S256 verifier and the client secret.",
    },
  ];
  results.push(refreshTokenPresent(ctx, tokens));
  if (!interrupted()) results.push(...(await accessTokenChecks(ctx, tokens, "exchange")));
  if (!tokens.refreshToken) return results;

  const refreshed = interrupted() ? undefined : await refreshAccessToken(call, ctx.client, tokens.refreshToken);
  if (!refreshed) {
    // Interrupted: no more checks, straight to the revoke below.
  } else if (refreshed.kind === "ok")
    results.push({
      id: "flow.refresh",
      status: "pass",
      title: "The refresh token works",
      detail: "A refresh returned a new access token.",
    });
  else if (refreshed.kind === "error")
    results.push(tokenErrorResult(ctx, "flow.refresh", "Refresh", refreshed.err, "refresh"));
  else
    results.push(
      unansweredResult({
        id: "flow.refresh",
        title: "Refresh",
        detail: refreshed.reason,
        fault: refreshed.fault,
        project: ctx.project,
        clientId: ctx.client.clientId,
      }),
    );

  if (keepFile && !interrupted()) {
    try {
      // What check-token forecasts from: the lifetime Google announced, counted from its answer (google-behaviour.md §2.2, §3).
      await writeKeptToken(keepFile, tokens.refreshToken, {
        at: exchanged.googleTime ?? localExchangeTime,
        clock: exchanged.googleTime !== undefined ? "google" : "local",
        clientId: ctx.client.clientId,
        account: input.account,
        scopes: tokens.scope ? tokens.scope.split(" ").filter(Boolean) : input.scopes,
        refreshTokenExpiresIn: tokens.refreshTokenExpiresIn,
      });
      say(`Kept the refresh token in ${keepFile} (mode 0600).`);
      results.push({
        id: "flow.keep-token",
        status: "pass",
        title: "Refresh token kept",
        detail: `Written to ${keepFile} with mode 0600; the grant was not revoked.`,
      });
      return results;
    } catch (e) {
      results.push({
        id: "flow.keep-token",
        status: "fail",
        title: "Refresh token kept",
        detail: `Could not write ${keepFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); revoking the grant instead.`,
      });
    }
  }
  const revoked = await revokeToken(
    { ...call, deadline: Math.max(call.deadline, Date.now() + REVOKE_GRACE_MS) },
    tokens.refreshToken,
  );
  if (revoked.kind === "ok") {
    results.push({
      id: "flow.revoke",
      status: "pass",
      title: "Test grant revoked",
      detail:
        "Revoked, so this run leaves no live refresh token behind. Google revokes the whole grant of this account for the project, so tokens the app holds for the same account stop working too.",
    });
  } else {
    const why = revoked.kind === "error" ? describeOAuthError(revoked.err) : revoked.reason;
    results.push({
      id: "flow.revoke",
      status: "warn",
      title: "Test grant not revoked",
      detail: `Revoking failed (${why}); the refresh token from this run stays valid until revoked.`,
      fix: "Remove the app's access at https://myaccount.google.com/permissions, or run the flow again.",
    });
  }
  return results;
}
