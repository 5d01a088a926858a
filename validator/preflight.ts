// The preflight: offline checks, then every live check at once. The slowest single round trip (with its retries)
// bounds the run, which is what the benchmark measures.
import { offlineChecks, skip } from "./offline";
import {
  appRedirectTargets,
  checkAppRedirect,
  checkAuthorize,
  checkGmailApi,
  checkToken,
  clockCheck,
  liveContext,
} from "./live";
import { gmailApiForTransports, mailScopeCheck } from "./mail/transports";
import { routeFor } from "./proxy";
import type { CheckResult, ValidationInput } from "./types";

export interface PreflightHooks {
  progress?(msg: string): void;
}

export async function runPreflight(input: ValidationInput, hooks: PreflightHooks = {}): Promise<CheckResult[]> {
  const progress = hooks.progress ?? (() => {});
  const mailScope = mailScopeCheck(input);
  const offline = [...offlineChecks(input), ...(mailScope ? [mailScope] : [])];
  const ctx = liveContext(input);
  const live: Promise<CheckResult>[] = [];
  const skipped: CheckResult[] = [];
  // Progress names the proxy (never its credentials): how a user sees HTTPS_PROXY / NO_PROXY took effect.
  const proxy = routeFor(new URL(ctx.endpoints.token)).proxy;
  const target = `${input.googleOrigin ? ` (via ${input.googleOrigin})` : ""}${proxy ? ` (through proxy ${proxy})` : ""}`;

  if (!input.clientId)
    skipped.push(
      skip(
        "live.authorize",
        "Google accepts the client, redirect URI and scopes",
        "no client ID: pass --client-id or --client-secret-file",
      ),
    );
  else if (input.redirectUris.length === 0)
    skipped.push(
      skip(
        "live.authorize",
        "Google accepts the client, redirect URI and scopes",
        "no redirect URI: pass --redirect-uri",
      ),
    );
  else {
    for (const uri of input.redirectUris) {
      progress(`authorization endpoint${target}: ${uri}`);
      live.push(checkAuthorize(ctx, uri));
    }
  }
  if (!input.clientId || !input.clientSecret)
    skipped.push(
      skip(
        "live.token",
        "Client ID and secret accepted by the token endpoint",
        input.clientId ? "no client secret" : "no client ID",
      ),
    );
  else {
    progress(`token endpoint${target}: proving the client ID and secret`);
    live.push(checkToken(ctx));
  }
  progress(`Service Usage${target}: Gmail API state`);
  live.push(checkGmailApi(ctx).then((r) => gmailApiForTransports(input.transports, r)));
  for (const t of appRedirectTargets(input)) {
    if (t.skip) skipped.push(skip(`live.app-redirect[${t.uri}]`, "The app's redirect endpoint answers", t.skip));
    else {
      progress(`app redirect endpoint: ${t.uri}`);
      live.push(checkAppRedirect(ctx, t.uri));
    }
  }
  const results = await Promise.all(live);
  return [...offline, ...results, ...skipped, clockCheck(ctx)];
}
