// The app's own "Test the Connection" as check results (issue 19): SMTP (AUTH XOAUTH2, QUIT; or one labelled
// message with --send-test-to) and IMAP (AUTHENTICATE XOAUTH2, SELECT INBOX read-only, LOGOUT), for the transports the
// connection declares. Google answers every refused token the same way (google-behaviour.md §11), so the cause is read from what
// else is known: the challenge status, the granted scopes, and the account tokeninfo or Gmail named.
import type { GoogleEndpoints } from "../../google/endpoints";
import { allowsMailProtocols, MAIL_PROTOCOL_SCOPE, type MailTransport } from "../../google/mail";
import { diagnosisResult } from "../diagnoses";
import type { CheckResult, DiagnosisCode } from "../types";
import { imapTest, smtpTest, type MailOutcome } from "./clients";
import { resolveMailTargets } from "./targets";

export interface MailCheckContext {
  readonly endpoints: GoogleEndpoints;
  readonly deadline: number;
  readonly transports: readonly MailTransport[];
  /** The mailbox the app logs in as (user=): --account, else the account the token belongs to. */
  readonly user?: string;
  readonly sendTestTo?: string;
  readonly project?: string;
  readonly clientId?: string;
}

/** What the token checks already learnt, which tells the causes of a refusal apart. */
export interface TokenFacts {
  /** The granted scopes, when Google reported them. */
  readonly granted?: readonly string[];
  /** tokeninfo or Gmail accepted the access token. */
  readonly tokenAccepted: boolean;
  /** The account the token belongs to, when tokeninfo or Gmail named it. */
  readonly tokenAccount?: string;
  /** Gmail said the account has no mailbox ("Mail service not enabled"). */
  readonly noMailbox?: boolean;
}

type Protocol = "smtp" | "imap";
const TITLES: Record<Protocol, string> = {
  smtp: "SMTP test connection (smtp.gmail.com, XOAUTH2)",
  imap: "IMAP test connection (imap.gmail.com, XOAUTH2)",
};

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function refusal(
  ctx: MailCheckContext,
  protocol: Protocol,
  outcome: MailOutcome & { kind: "auth-failed" },
  facts: TokenFacts,
): CheckResult {
  const id = `mail.${protocol}`;
  const challenge = outcome.challenge
    ? ` Challenge decoded: status ${outcome.challenge.status}, scope ${outcome.challenge.scope}.`
    : "";
  const said = `Google: ${outcome.reply.replace(/\s*\n\s*/g, " ")}.${challenge}`;
  const result = (code: DiagnosisCode, why: string, inferred?: boolean) =>
    diagnosisResult(code, {
      id,
      status: "fail",
      detail: `${said} ${why}`,
      project: ctx.project,
      clientId: ctx.clientId,
      ...(inferred ? { inferred: true } : {}),
    });
  if (outcome.challenge?.status === "401")
    return result("xoauth2_invalid_credentials", "Status 401: the access token is invalid or expired.");
  if (facts.granted && !allowsMailProtocols(facts.granted))
    return result(
      "xoauth2_scope_insufficient",
      `The token was granted ${facts.granted.join(" ") || "no scope"}, without ${MAIL_PROTOCOL_SCOPE}.`,
    );
  if (facts.tokenAccount && ctx.user && !same(facts.tokenAccount, ctx.user))
    return result("xoauth2_user_mismatch", `user=${ctx.user} is not the token's account (${facts.tokenAccount}).`);
  if (facts.noMailbox)
    return result("mail_service_not_enabled", "Gmail said the account has no mailbox, which SMTP and IMAP need too.");
  if (facts.tokenAccepted && facts.granted && facts.tokenAccount)
    return protocol === "smtp"
      ? result(
          "smtp_app_password_advice",
          "Inferred: the token is valid, carries the mail scope and belongs to this mailbox, yet SMTP refused it; a password setting cannot change that.",
          true,
        )
      : result(
          "xoauth2_invalid_credentials",
          "Inferred: the token is valid, carries the mail scope and belongs to this mailbox, yet IMAP refused it.",
          true,
        );
  const unknown = [
    facts.granted ? undefined : "the granted scopes",
    facts.tokenAccount ? undefined : "the token's account (pass --account, or grant an email scope)",
  ].filter(Boolean);
  return result(
    "xoauth2_invalid_credentials",
    `The cause cannot be narrowed down: unknown ${unknown.join(" and ") || "why"}.`,
    outcome.challenge?.status !== "401",
  );
}

function judge(ctx: MailCheckContext, protocol: Protocol, outcome: MailOutcome, facts: TokenFacts): CheckResult {
  const id = `mail.${protocol}`;
  const base = { project: ctx.project, clientId: ctx.clientId };
  switch (outcome.kind) {
    case "ok":
      return {
        id,
        status: "pass",
        title: protocol === "smtp" ? "SMTP accepted the token (XOAUTH2)" : "IMAP accepted the token and INBOX opens",
        detail: `${outcome.detail}${outcome.messageId ? ` (message id ${outcome.messageId})` : ""}`,
      };
    case "auth-failed":
      return refusal(ctx, protocol, outcome, facts);
    case "imap-disabled":
      return diagnosisResult("imap_disabled", { id, status: "fail", detail: `Google: ${outcome.reply}`, ...base });
    case "unreachable":
      return diagnosisResult("mail_port_blocked", {
        id,
        status: "inconclusive",
        detail: `${outcome.detail} (${outcome.code}): the network, not Google; nothing is known about the token here`,
        ...base,
      });
    default:
      return { id, status: "inconclusive", title: TITLES[protocol], detail: outcome.detail };
  }
}

/** SMTP then IMAP, for the transports declared; nothing for a Gmail-API-only app. */
export async function mailConnectionChecks(
  ctx: MailCheckContext,
  accessToken: string,
  facts: TokenFacts,
): Promise<CheckResult[]> {
  const protocols = (["smtp", "imap"] as const).filter((p) => ctx.transports.includes(p));
  if (protocols.length === 0) return [];
  if (!ctx.user)
    return protocols.map((p) => ({
      id: `mail.${p}`,
      status: "skip",
      title: TITLES[p],
      detail: "No mailbox to log in as (user=): pass --account, or grant an email scope so tokeninfo names it.",
    }));
  const resolved = await resolveMailTargets(ctx.endpoints, ctx.deadline);
  if (resolved.kind !== "ok")
    return protocols.map((p) => ({
      id: `mail.${p}`,
      status: "inconclusive",
      title: TITLES[p],
      detail: resolved.reason,
    }));
  const { targets } = resolved;
  const user = ctx.user;
  return Promise.all(
    protocols.map(async (p): Promise<CheckResult> => {
      if (p === "imap") return judge(ctx, p, await imapTest(targets.imap, user, accessToken, ctx), facts);
      const opts = { deadline: ctx.deadline, sendTo: ctx.sendTestTo };
      let target = targets.smtp;
      let outcome = await smtpTest(target, user, accessToken, opts);
      if (outcome.kind === "unreachable") {
        // Many networks open 465 but not 587 (or the reverse): the app can use either, so try the other before judging.
        const first = outcome;
        target = targets.smtpFallback;
        outcome = await smtpTest(target, user, accessToken, opts);
        if (outcome.kind === "unreachable") outcome = { ...outcome, detail: `${first.detail}; ${outcome.detail}` };
      }
      return judge(ctx, p, outcome, facts);
    }),
  );
}
