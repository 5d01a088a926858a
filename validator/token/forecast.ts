// Expiry forecasts (issue 16 §1): when a stored refresh token will die, from the consent record --keep-token kept
// (validator/token/tokenFile.ts). Google counts the Testing 7 days "from the time of consent" and refreshing does not
// reset them (google-behaviour.md §3), so the forecast is consent time + the refresh_token_expires_in Google announced (google-behaviour.md §2.2).
import { formatDuration, parseDuration } from "../../common/duration";
import { InputError } from "../../common/errors";
import { diagnosisResult } from "../diagnoses";
import type { CheckResult } from "../types";
import type { ConsentRecord } from "./tokenFile";

export const DEFAULT_WARN_BEFORE_MS = 2 * 86_400_000;
export const FORECAST_ID = "token.forecast";
/**
 * A working refresh this long after the forecast means the forecast was wrong (published or trusted since), not
 * that the clocks disagree by a few seconds: Google announces 604799 s for a 7-day life (google-behaviour.md §2.2), so the real
 * end can follow the announced one by a second, and the Date header is rounded down to the second.
 */
export const FORECAST_TOLERANCE_MS = 5 * 60_000;

/** `--warn-before DURATION` (check-token, fleet): `2d`, `36h`, `1w`; default 2 days. */
export function readWarnBefore(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WARN_BEFORE_MS;
  const ms = parseDuration(String(text));
  if (ms === undefined)
    throw new InputError("--warn-before", `'${text}' is not a duration`, "e.g. --warn-before 2d (also 36h, 90m, 1w)");
  return ms;
}

/** "now" with where it was read: Google's Date header (what expiry is counted by) or, failing that, this machine. */
export interface Now {
  readonly ms: number;
  readonly clock: "google" | "local";
}

export interface Forecast {
  /** ms since epoch, by the clock the consent time was recorded with. */
  readonly expiresAt: number;
  /** ms left at `now`; zero or less once expired. */
  readonly remainingMs: number;
}

export function forecastOf(consent: ConsentRecord, now: Now): Forecast | undefined {
  if (consent.refreshTokenExpiresIn === undefined) return undefined;
  const expiresAt = consent.at + consent.refreshTokenExpiresIn * 1000;
  return { expiresAt, remainingMs: expiresAt - now.ms };
}

/** `Tue, 08 Dec 2026 20:41:03 UTC`: the day of the week matters to someone planning a reconnect. */
export function forecastDate(ms: number): string {
  return new Date(ms).toUTCString().replace("GMT", "UTC");
}

export interface ForecastCheckOptions {
  readonly warnBeforeMs: number;
  /** Whether the refresh just made worked: a forecast past its time with a working token was wrong, not fatal. */
  readonly refreshWorked?: boolean;
  readonly project?: string;
}

/**
 * The forecast as a check: pass with the date while it is far, warn inside `warnBeforeMs`, fail at and after the
 * expiry. Without an announced lifetime it says there is nothing to forecast.
 */
export function forecastCheck(consent: ConsentRecord, now: Now, opts: ForecastCheckOptions): CheckResult {
  const title = "Refresh token expiry forecast";
  const forecast = forecastOf(consent, now);
  if (!forecast)
    return {
      id: FORECAST_ID,
      status: "pass",
      title,
      detail: `Google announced no refresh_token_expires_in at consent on ${forecastDate(consent.at)}: no time limit to forecast. This fits a published app; the token can still be revoked or left unused for six months.`,
      inferred: true,
    };
  const on = forecastDate(forecast.expiresAt);
  const by = now.clock === "google" ? "by Google's clock" : "by this machine's clock (Google's could not be read)";
  const lifetime = `refresh_token_expires_in=${consent.refreshTokenExpiresIn} at consent on ${forecastDate(consent.at)}`;
  const base = { id: FORECAST_ID, project: opts.project, clientId: consent.clientId };
  const expiresAt = new Date(forecast.expiresAt).toISOString();
  if (forecast.remainingMs <= 0) {
    const ago = formatDuration(-forecast.remainingMs);
    if (opts.refreshWorked && -forecast.remainingMs > FORECAST_TOLERANCE_MS)
      return {
        id: FORECAST_ID,
        status: "warn",
        title,
        detail: `Forecast to expire on ${on} (${ago} ago, ${by}; ${lifetime}), yet the refresh worked: the announced lifetime did not hold (the app was published or trusted since, or the clocks disagree).`,
        fix: "Reconnect with `validate --flow --keep-token FILE` to record the lifetime Google announces now.",
        inferred: true,
        expiresAt,
      };
    return {
      ...diagnosisResult("refresh_token_expired", {
        ...base,
        status: "fail",
        detail: `Expired on ${on}, ${ago} ago ${by} (${lifetime}).`,
      }),
      expiresAt,
    };
  }
  const inWords = `expires in ${formatDuration(forecast.remainingMs)}, on ${on}`;
  if (forecast.remainingMs <= opts.warnBeforeMs)
    return {
      ...diagnosisResult("refresh_token_expires_soon", {
        ...base,
        status: "warn",
        detail: `The refresh token ${inWords} (${by}; ${lifetime}); inside the warning window of ${formatDuration(opts.warnBeforeMs)}.`,
      }),
      expiresAt,
    };
  return {
    id: FORECAST_ID,
    status: "pass",
    title,
    detail: `The refresh token ${inWords} (${by}; ${lifetime}).`,
    expiresAt,
  };
}
