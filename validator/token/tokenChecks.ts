// The token checks shared by `validate --flow` (after the code exchange) and `check-token` (after a refresh):
// scope coverage, refresh-token expiry (publishing status, inferred), tokeninfo aud, account identity and a Gmail
// call as the "test connection". Each check returns one CheckResult; none passes on a response it did not get.
import type { AudienceSpec } from "../../connection/types";
import { usesMailProtocols, type MailTransport } from "../../google/mail";
import { mailConnectionChecks } from "../mail/mailChecks";
import { gmailApiForTransports } from "../mail/transports";
import { allowsGetProfile, allowsSend, isGmailScope, missingScopes, parseScopeList } from "../../google/scopes";
import { diagnosisResult } from "../diagnoses";
import { unansweredResult } from "../unanswered";
import { describeInconclusive } from "../http";
import type { CheckResult, DiagnosisCode } from "../types";
import {
  gmailGet,
  tokenInfo,
  type CallContext,
  type ClientCredentials,
  type OAuthError,
  type TokenInfoCall,
  type TokenSet,
} from "./calls";
import { classifyTokenError, isApiErrorBody } from "../classify";
import { classifyGmailError, describeOAuthError, type TokenPhase } from "./tokenErrors";

export interface TokenCheckContext extends CallContext {
  readonly client: ClientCredentials;
  /** What the connection asks for (the spec or --scope), not what the flow added for identity. */
  readonly requestedScopes: readonly string[];
  readonly account?: string;
  readonly audience?: Partial<AudienceSpec>;
  readonly project?: string;
  readonly projectNumber?: string;
  /** How the app reaches Gmail; undefined: not declared, and the Gmail API call is the test connection. */
  readonly transports?: readonly MailTransport[];
  /** --send-test-to: one labelled message over SMTP. */
  readonly sendTestTo?: string;
}

const DAY = 86_400;
/** Testing tokens carry 604799 s (google-behaviour.md §2.2); a day of slack covers clock and rounding without reaching 180-day grants. */
const TESTING_EXPIRY_MAX = 8 * DAY;

function diag(
  ctx: TokenCheckContext,
  code: DiagnosisCode,
  id: string,
  status: CheckResult["status"],
  detail: string,
  extra: { inferred?: boolean; links?: readonly string[] } = {},
): CheckResult {
  return diagnosisResult(code, { id, status, detail, project: ctx.project, clientId: ctx.client.clientId, ...extra });
}

function pass(id: string, title: string, detail?: string, inferred?: boolean): CheckResult {
  return { id, status: "pass", title, ...(detail ? { detail } : {}), ...(inferred ? { inferred: true } : {}) };
}

function inconclusive(id: string, title: string, detail: string): CheckResult {
  return { id, status: "inconclusive", title, detail };
}

export function refreshTokenPresent(ctx: TokenCheckContext, tokens: TokenSet): CheckResult {
  if (tokens.refreshToken) return pass("token.refresh-token", "A refresh token was issued");
  return diag(
    ctx,
    "refresh_token_missing",
    "token.refresh-token",
    "fail",
    "The code exchange answered without refresh_token although the flow sent access_type=offline and prompt=consent.",
  );
}

export function scopeCoverage(ctx: TokenCheckContext, granted: string | undefined, source: string): CheckResult {
  const id = "token.scopes";
  if (granted === undefined)
    return inconclusive(
      id,
      "Granted scopes",
      `Google did not report the granted scopes (${source} had no scope field).`,
    );
  const missing = missingScopes(ctx.requestedScopes, parseScopeList(granted));
  if (missing.length === 0)
    return pass(id, "Every requested scope was granted", `${source}: ${parseScopeList(granted).join(" ")}`);
  return diag(
    ctx,
    "scope_not_granted",
    id,
    "fail",
    `Not granted: ${missing.join(", ")} (granted: ${parseScopeList(granted).join(" ") || "none"}).`,
  );
}

/**
 * refresh_token_expires_in read as a publishing status. Undocumented (google-behaviour.md §2.2): Testing apps get ~604799 s,
 * time-based grants get longer; so every verdict here is marked inferred.
 */
export function refreshTokenExpiry(
  ctx: TokenCheckContext,
  expiresIn: number | undefined,
  phase: TokenPhase,
): CheckResult {
  const id = "token.expiry";
  const declared = ctx.audience?.publishingStatus;
  const internal = ctx.audience?.userType === "internal";
  const gmail = ctx.requestedScopes.some(isGmailScope);
  if (expiresIn === undefined) {
    if (phase === "refresh") {
      return {
        id,
        status: "skip",
        title: "Refresh-token lifetime",
        detail:
          "A refresh answer does not say when the refresh token expires (Google documents refresh_token_expires_in for the code exchange only), so the publishing status cannot be inferred here.",
      };
    }
    if (declared === "testing" && !internal && gmail) {
      return diag(
        ctx,
        "publishing_status_mismatch",
        id,
        "warn",
        "Declared Testing, but the token came without refresh_token_expires_in: a Testing app's token expires after 7 days. Inferred: the app is in production, or a Workspace admin marked it Trusted.",
        { inferred: true },
      );
    }
    return pass(
      id,
      "The refresh token has no expiry",
      "No refresh_token_expires_in in the answer. This fits a published app; it does not prove one.",
      true,
    );
  }
  const days = Math.round((expiresIn / DAY) * 10) / 10;
  if (expiresIn <= TESTING_EXPIRY_MAX) {
    const seen = `refresh_token_expires_in=${expiresIn} (${days} days).`;
    if (declared === "production" || internal) {
      return diag(
        ctx,
        "publishing_status_mismatch",
        id,
        "fail",
        `${seen} Inferred: the app is in Testing, but the spec declares ${internal ? "an Internal app" : "Production"}. The token will stop working 7 days after consent.`,
        { inferred: true },
      );
    }
    return diag(
      ctx,
      "testing_refresh_token_expiry",
      id,
      "warn",
      `${seen} Inferred: the app is in Testing${declared === "testing" ? " (as declared)" : ""}; this refresh token stops working 7 days after consent.`,
      { inferred: true },
    );
  }
  return {
    id,
    status: "warn",
    title: "The refresh token is time-limited",
    detail: `refresh_token_expires_in=${expiresIn} (${days} days): longer than Testing's 7 days, so inferred to be time-based access the person chose on the consent screen instead of ongoing access.`,
    fix: "Reconnect and choose ongoing access, or plan to reconnect before it expires.",
    inferred: true,
  };
}

export function audienceCheck(ctx: TokenCheckContext, info: TokenInfoCall): CheckResult {
  const id = "token.audience";
  if (info.kind !== "ok")
    return unansweredResult({
      id,
      title: "Token audience (tokeninfo aud)",
      detail: info.reason,
      fault: info.fault,
      project: ctx.project,
      clientId: ctx.client.clientId,
    });
  if (!info.info.aud) return inconclusive(id, "Token audience (tokeninfo aud)", "tokeninfo answered without aud.");
  if (info.info.aud === ctx.client.clientId)
    return pass(id, "The token was issued to this client", `tokeninfo aud = ${info.info.aud}`);
  return diag(
    ctx,
    "token_audience_mismatch",
    id,
    "fail",
    `tokeninfo aud = ${info.info.aud}, but the client is ${ctx.client.clientId}.`,
  );
}

function sameAccount(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .trim()
      .toLowerCase()
      .replace(/@googlemail\.com$/, "@gmail.com");
  return norm(a) === norm(b);
}

export function accountCheck(ctx: TokenCheckContext, seen: { email?: string; source?: string }): CheckResult {
  const id = "token.account";
  if (!ctx.account) {
    return seen.email
      ? {
          id,
          status: "skip",
          title: "Connected account",
          detail: `Connected as ${seen.email} (${seen.source}); pass --account to check it is the intended mailbox.`,
        }
      : {
          id,
          status: "skip",
          title: "Connected account",
          detail: "No --account given, so there is no mailbox to compare with.",
        };
  }
  if (!seen.email)
    return inconclusive(
      id,
      "Connected account",
      "Neither tokeninfo nor Gmail named the account: the granted scopes include no email scope and no Gmail read scope.",
    );
  if (sameAccount(seen.email, ctx.account))
    return pass(id, "The intended account is connected", `${seen.email} (${seen.source})`);
  return diag(
    ctx,
    "wrong_account",
    id,
    "fail",
    `Connected as ${seen.email} (${seen.source}), expected ${ctx.account}.`,
  );
}

export interface GmailCheck {
  readonly result: CheckResult;
  /** The mailbox address getProfile reported, when it answered. */
  readonly email?: string;
}

/** The "test connection": a Gmail call the granted scopes allow, without changing the mailbox. */
export async function gmailConnection(
  ctx: TokenCheckContext,
  accessToken: string,
  granted: readonly string[],
): Promise<GmailCheck> {
  const id = "token.gmail";
  const title = "Gmail test connection";
  const readable = allowsGetProfile(granted);
  const sendOnly = !readable && allowsSend(granted);
  if (!readable && !sendOnly && !granted.some(isGmailScope)) {
    return {
      result: { id, status: "skip", title, detail: "No Gmail scope was granted, so no Gmail call can be made." },
    };
  }
  // Send-only tokens get getProfile too: its refusal still tells an enabled API from a disabled one.
  const outcome = await gmailGet(ctx, accessToken, "users/me/profile");
  if (
    outcome.kind !== "response" ||
    outcome.status >= 500 ||
    (outcome.status === 429 && !isApiErrorBody(outcome.json)) ||
    outcome.malformed
  ) {
    const detail = `Gmail users.getProfile: ${describeInconclusive(outcome)}`;
    const fault = outcome.kind === "unreachable" ? outcome.fault : undefined;
    return {
      result: unansweredResult({ id, title, detail, fault, project: ctx.project, clientId: ctx.client.clientId }),
    };
  }
  if (outcome.status === 200) {
    const j = (outcome.json ?? {}) as { emailAddress?: string; messagesTotal?: number };
    const email = typeof j.emailAddress === "string" ? j.emailAddress : undefined;
    return {
      email,
      result: pass(
        id,
        "Gmail answered the test connection",
        `users.getProfile: ${email ?? "(no address)"}${typeof j.messagesTotal === "number" ? `, ${j.messagesTotal} messages` : ""}`,
      ),
    };
  }
  const reading = classifyGmailError(outcome.status, outcome.json);
  switch (reading.kind) {
    case "api_disabled": {
      const where = reading.projectNumber
        ? ` in project ${reading.projectNumber}${ctx.projectNumber && ctx.projectNumber !== reading.projectNumber ? ` (the spec declares project number ${ctx.projectNumber}: the client belongs to another project)` : ""}`
        : "";
      return {
        result: diag(ctx, "gmail_api_disabled", id, "fail", `Gmail refused the call${where}: ${reading.message}`, {
          links: reading.activationUrl ? [reading.activationUrl] : [],
        }),
      };
    }
    case "mail_service_not_enabled":
      return {
        result: diag(ctx, "mail_service_not_enabled", id, "fail", `Gmail users.getProfile: ${reading.message}`),
      };
    case "insufficient_scope":
      if (sendOnly) {
        return {
          result: pass(
            id,
            "Gmail accepted the send-only token",
            "Proved: Google accepted the access token for Gmail. Inferred: the Gmail API is enabled (Gmail answered with a scope refusal, not SERVICE_DISABLED). Not proved: that the mailbox exists and can send, because a send-only token cannot read the profile and only sending a real message would show it.",
            true,
          ),
        };
      }
      return { result: diag(ctx, "scope_not_granted", id, "fail", `Gmail users.getProfile: ${reading.message}`) };
    case "rate_limited":
      // A limit, not a fault: the call proves nothing either way until the limit resets.
      return { result: diag(ctx, reading.code, id, "inconclusive", `Gmail users.getProfile: ${reading.message}`) };
    default:
      return { result: inconclusive(id, title, `Gmail users.getProfile: ${reading.message}`) };
  }
}

/** Every check an access token allows, in report order: audience, scopes, expiry, Gmail, account. */
export async function accessTokenChecks(
  ctx: TokenCheckContext,
  tokens: TokenSet,
  phase: TokenPhase,
): Promise<CheckResult[]> {
  const info = await tokenInfo(ctx, tokens.accessToken);
  const grantedText = tokens.scope ?? (info.kind === "ok" ? info.info.scope : undefined);
  const granted = parseScopeList(grantedText);
  const results: CheckResult[] = [audienceCheck(ctx, info)];
  results.push(scopeCoverage(ctx, grantedText, tokens.scope !== undefined ? `the token response` : "tokeninfo"));
  results.push(refreshTokenExpiry(ctx, tokens.refreshTokenExpiresIn, phase));
  const gmail = await gmailConnection(ctx, tokens.accessToken, granted);
  results.push(gmailApiForTransports(ctx.transports, gmail.result));
  const tokeninfoEmail = info.kind === "ok" ? info.info.email : undefined;
  results.push(
    accountCheck(
      ctx,
      tokeninfoEmail
        ? { email: tokeninfoEmail, source: "tokeninfo email" }
        : gmail.email
          ? { email: gmail.email, source: "Gmail profile" }
          : {},
    ),
  );
  if (ctx.transports && usesMailProtocols(ctx.transports)) {
    const tokenAccount = tokeninfoEmail ?? gmail.email;
    const mail = await mailConnectionChecks(
      {
        endpoints: ctx.endpoints,
        deadline: ctx.deadline,
        transports: ctx.transports,
        user: ctx.account ?? tokenAccount,
        sendTestTo: ctx.sendTestTo,
        project: ctx.project,
        clientId: ctx.client.clientId,
      },
      tokens.accessToken,
      {
        granted: grantedText === undefined ? undefined : granted,
        tokenAccepted: info.kind === "ok" || gmail.result.status === "pass",
        tokenAccount,
        noMailbox: gmail.result.diagnosis === "mail_service_not_enabled",
      },
    );
    results.push(...mail);
    // XOAUTH2 succeeds only for user= the token's account (google-behaviour.md §11, inferred from the failures threads show), so
    // a login as --account names the account where tokeninfo and Gmail could not.
    const i = results.findIndex((r) => r.id === "token.account");
    const login = mail.find((r) => r.status === "pass");
    if (ctx.account && login && results[i]?.status === "inconclusive")
      results[i] = pass(
        "token.account",
        "The intended account is connected",
        `${ctx.account} (Google accepted ${login.id === "mail.smtp" ? "SMTP" : "IMAP"} XOAUTH2 with user=${ctx.account})`,
        true,
      );
  }
  return results;
}

/** Likely causes of invalid_grant on a refresh, the most likely first given what was declared (google-behaviour.md §3). */
export function rankInvalidGrantCauses(audience: Partial<AudienceSpec> | undefined): string[] {
  const testing = "the app is in Testing, and Testing refresh tokens expire 7 days after consent";
  const causes = [
    "the person or an admin revoked the app's access (https://myaccount.google.com/permissions)",
    "the account's password changed, which ends refresh tokens that carry Gmail scopes",
    "more than 100 refresh tokens were issued for this account and client, so Google silently dropped the oldest (every sign-in that is not revoked adds one)",
    "the token was not used for 6 months",
  ];
  if (audience?.userType === "internal") return causes;
  if (audience?.publishingStatus === "testing") return [`${testing} (declared Testing)`, ...causes];
  if (audience?.publishingStatus === "production")
    return [
      ...causes,
      "the token was issued while the app was still in Testing: such tokens expire 7 days after consent even after the app is published",
    ];
  return [`${testing} (the publishing status is not declared; this is the usual weekly breakage)`, ...causes];
}

/** A token-endpoint refusal as a result: the catalogue code when Google's error identifies one. */
export function tokenErrorResult(
  ctx: TokenCheckContext,
  id: string,
  title: string,
  err: OAuthError,
  phase: TokenPhase,
): CheckResult {
  const code = classifyTokenError(err, phase);
  const seen = `Google answered ${describeOAuthError(err)}.`;
  if (!code) return { id, status: "fail", title, detail: seen };
  if (code === "token_endpoint_unavailable") return diag(ctx, code, id, "inconclusive", seen);
  if (code === "refresh_token_invalid") {
    const ranked = rankInvalidGrantCauses(ctx.audience)
      .map((c, i) => `${i + 1}. ${c}`)
      .join("; ");
    return diag(ctx, code, id, "fail", `${seen} Likely causes, most likely first: ${ranked}.`);
  }
  if (code === "client_secret_invalid" || code === "client_not_found") {
    // invalid_client covers both; only the description separates them.
    return diag(ctx, code, id, "fail", `${seen} (invalid_client: told apart by Google's description)`);
  }
  return diag(ctx, code, id, "fail", seen);
}
