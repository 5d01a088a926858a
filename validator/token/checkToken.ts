// `gmail-oauth check-token`: a stored refresh token checked without a sign-in (issue 5 §3). It refreshes, then runs
// the same access-token checks as the consent flow. Nothing is revoked: this is the token a connection lives on.
import { InputError } from "../../common/errors";
import { ENV } from "../../common/env";
import { redactValue, registerSecret } from "../../common/redact";
import { googleEndpoints } from "../../google/endpoints";
import { unansweredResult } from "../unanswered";
import type { CheckResult, ValidationInput } from "../types";
import { refreshAccessToken } from "./calls";
import { accessTokenChecks, tokenErrorResult, type TokenCheckContext } from "./tokenChecks";
import { DEFAULT_WARN_BEFORE_MS, forecastCheck } from "./forecast";
import type { StoredToken } from "./tokenFile";

export interface CheckTokenOptions {
  /** --warn-before: how long before the forecast expiry the check warns (default 2 days). */
  readonly warnBeforeMs?: number;
}

export async function runCheckToken(
  input: ValidationInput,
  stored: StoredToken,
  opts: CheckTokenOptions = {},
): Promise<CheckResult[]> {
  // An authorized_user file names its client; it fills in only what the flags and spec left open.
  const clientId = input.clientId ?? stored.clientId;
  const clientSecret = input.clientSecret ?? stored.clientSecret;
  if (!clientId)
    throw new InputError(
      "--client-id",
      "check-token needs the OAuth client ID the token was issued to",
      "pass --client-secret-file with the client JSON, or --client-id",
    );
  if (!clientSecret)
    throw new InputError(
      "--client-secret-file",
      "check-token needs the client secret: Google refuses a refresh without it",
      `pass the client JSON, or set ${ENV.clientSecret}`,
    );
  registerSecret(clientSecret);
  registerSecret(stored.refreshToken);

  const ctx: TokenCheckContext = {
    endpoints: googleEndpoints(input.googleOrigin),
    deadline: input.deadline,
    client: { clientId, clientSecret },
    requestedScopes: input.scopes,
    account: input.account,
    audience: input.audience,
    project: input.project,
    projectNumber: input.projectNumber,
    transports: input.transports,
    sendTestTo: input.sendTestTo,
  };
  const results: CheckResult[] = [];
  if (stored.clientId && input.clientId && stored.clientId !== input.clientId) {
    results.push({
      id: "token.source",
      status: "warn",
      title: "Token file names another client",
      detail: `${stored.source} was written for client ${stored.clientId}, but the check uses ${input.clientId}.`,
      fix: "Check the token against the client that issued it, or reconnect with this client.",
    });
  }
  const refreshed = await refreshAccessToken(ctx, ctx.client, stored.refreshToken);
  // Judged by Google's clock when its answer carried one, so a skewed local clock does not move the forecast.
  const googleTime = refreshed.kind === "inconclusive" ? undefined : refreshed.googleTime;
  // Only a token kept with its consent record has a forecast; a bare token (an older file) is checked as before.
  const forecast =
    stored.consent &&
    forecastCheck(
      stored.consent,
      googleTime !== undefined ? { ms: googleTime, clock: "google" } : { ms: Date.now(), clock: "local" },
      {
        warnBeforeMs: opts.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS,
        refreshWorked: refreshed.kind === "ok",
        project: input.project,
      },
    );
  if (refreshed.kind === "inconclusive")
    return redactValue([
      ...results,
      unansweredResult({
        id: "token.refresh",
        title: "Refresh",
        detail: refreshed.reason,
        fault: refreshed.fault,
        project: ctx.project,
        clientId,
      }),
      ...(forecast ? [forecast] : []),
    ]);
  if (refreshed.kind === "error")
    return redactValue([
      ...results,
      tokenErrorResult(ctx, "token.refresh", "Refresh", refreshed.err, "refresh"),
      ...(forecast ? [forecast] : []),
    ]);
  results.push({
    id: "token.refresh",
    status: "pass",
    title: "The refresh token works",
    detail: `Refreshed the token from ${stored.source}.`,
  });
  if (forecast) results.push(forecast);
  results.push(...(await accessTokenChecks(ctx, refreshed.tokens, "refresh")));
  return redactValue(results);
}
