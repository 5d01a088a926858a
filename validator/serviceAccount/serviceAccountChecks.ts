// The service-account checks (google-behaviour.md §10): for every mailbox × scope, sign a JWT (keyless through IAM Credentials
// signJwt, or with the key file) and ask the token endpoint; then one Gmail call per mailbox as that mailbox. Requests
// run side by side, at most `concurrency` at once. An answer we did not get, or cannot read, is "inconclusive".
import { redact } from "../../common/redact";
import {
  CLOUD_PLATFORM_SCOPE,
  DWD_CONSOLE_URL,
  dwdClaims,
  dwdPrefilledLink,
  dwdScopeField,
  JWT_BEARER_GRANT,
  signJwtRs256,
} from "../../google/domainWideDelegation";
import { emailDomain, isConsumerAddress } from "../../google/identifiers";
import { allowsGetProfile } from "../../google/scopes";
import { classifyApiError, isApiErrorBody } from "../classify";
import { diagnosisResult } from "../diagnoses";
import { unansweredCode } from "../unanswered";
import { runOrdered } from "../fleet/pool";
import { describeInconclusive, httpRequest, type HttpOutcome, type RequestOptions } from "../http";
import { clockCheck, cloudToken, liveContext, type LiveContext } from "../live";
import { pass, skip } from "../offline";
import type { CheckResult, DiagnosisCode } from "../types";
import type { ServiceAccountRun } from "./serviceAccountInputs";

const PER_ATTEMPT_MS = 10_000;

export interface ServiceAccountHooks {
  progress?(msg: string): void;
}

/** How a JWT gets signed for one row. */
type Signer = (claims: object) => Promise<{ jwt: string } | { failure: CheckResult }>;

interface Row {
  readonly mailbox: string;
  readonly scope: string;
  readonly id: string;
}

type RowOutcome =
  | { kind: "token"; row: Row; accessToken: string }
  | { kind: "unauthorized"; row: Row; said: string }
  | { kind: "result"; row: Row; result: CheckResult };

const short = (scope: string) => scope.replace("https://www.googleapis.com/auth/", "");

async function request(ctx: LiveContext, url: string, opts: RequestOptions): Promise<HttpOutcome> {
  const outcome = await httpRequest(url, { timeoutMs: PER_ATTEMPT_MS, deadline: ctx.input.deadline, ...opts });
  if (outcome.kind === "response") {
    const date = Date.parse(outcome.headers.get("date") ?? "");
    if (Number.isFinite(date)) ctx.clockSamples.push({ server: date, local: Date.now() });
  }
  return outcome;
}

function unavailable(id: string, outcome: HttpOutcome, what: string, project?: string): CheckResult {
  // A proxy, TLS interception or DNS failure in between is named as such (issue 18), not "Google did not answer".
  return diagnosisResult(unansweredCode(outcome), {
    id,
    status: "inconclusive",
    project,
    detail: `${what}: ${describeInconclusive(outcome)}`,
  });
}

function transient(outcome: HttpOutcome): boolean {
  return outcome.kind !== "response" || outcome.status >= 500 || outcome.status === 429 || !!outcome.malformed;
}

/** Keyless: IAM Credentials signJwt with the operator's cloud credential (google-behaviour.md §10). */
function keylessSigner(ctx: LiveContext, run: ServiceAccountRun, token: string): Signer {
  return async (claims) => {
    const id = "sa.signer";
    const outcome = await request(ctx, ctx.endpoints.signJwt(run.serviceAccount), {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      json: { payload: JSON.stringify(claims) },
    });
    if (transient(outcome)) return { failure: unavailable(id, outcome, "IAM Credentials signJwt", run.projectId) };
    const res = outcome as Extract<HttpOutcome, { kind: "response" }>;
    const signed = (res.json as { signedJwt?: unknown } | undefined)?.signedJwt;
    if (res.status === 200 && typeof signed === "string") return { jwt: signed };
    const message = isApiErrorBody(res.json) ? (res.json.error.message ?? "") : "";
    if (res.status === 403)
      return {
        failure: diagnosisResult("sign_jwt_permission_denied", {
          id,
          status: "fail",
          project: run.projectId,
          detail: `signJwt as ${run.serviceAccount}: HTTP 403${message ? ` ${message}` : ""}`,
        }),
      };
    if (res.status === 401)
      return {
        failure: diagnosisResult("cloud_credentials_missing", {
          id,
          status: "inconclusive",
          project: run.projectId,
          detail: "the cloud credential was refused by IAM Credentials (HTTP 401): expired or revoked",
        }),
      };
    return {
      failure: diagnosisResult("google_unavailable", {
        id,
        status: "inconclusive",
        project: run.projectId,
        detail: `signJwt answered HTTP ${res.status}${message ? `: ${message}` : ""}`,
      }),
    };
  };
}

/** The unique ID delegation names, and where it came from or why it is not known: said in the dwd findings' detail. */
interface ClientIdentity {
  readonly uniqueId?: string;
  readonly said: string;
}

const GET_PERMISSION = "iam.serviceAccounts.get";
const ACCOUNT_TITLE = "The service account's unique ID (the client ID delegation names)";

/**
 * IAM projects.serviceAccounts.get with the cloud credential the run already holds: its `uniqueId` (= oauth2ClientId)
 * is what the admin console's delegation form asks for, so the fix can be the prefilled link (google-behaviour.md §10). Only a 404
 * is a finding (the account is gone); a refusal or no answer leaves the ID unknown, as before the lookup existed, and
 * the report says what would allow it.
 */
async function lookUpIdentity(
  ctx: LiveContext,
  run: ServiceAccountRun,
  token: string,
): Promise<{ identity: ClientIdentity; result: CheckResult; gone?: boolean }> {
  const id = "sa.account";
  const project = run.projectId ?? "-";
  const outcome = await request(ctx, ctx.endpoints.serviceAccount(project, run.serviceAccount), {
    headers: { authorization: `Bearer ${token}` },
  });
  const unknown = (why: string) => ({
    identity: { said: `not known: ${why}; or pass --spec with the stack output (serviceAccounts[].uniqueId)` },
    result: skip(id, ACCOUNT_TITLE, why),
  });
  if (transient(outcome)) return unknown(`IAM projects.serviceAccounts.get: ${describeInconclusive(outcome)}`);
  const res = outcome as Extract<HttpOutcome, { kind: "response" }>;
  const body = (res.json ?? {}) as { uniqueId?: unknown; oauth2ClientId?: unknown };
  const found = [body.uniqueId, body.oauth2ClientId].find((v): v is string => typeof v === "string" && v !== "");
  if (res.status === 200 && found) {
    const said = "looked up through IAM projects.serviceAccounts.get";
    return { identity: { uniqueId: found, said }, result: pass(id, ACCOUNT_TITLE, `${found}, ${said}`) };
  }
  const message = isApiErrorBody(res.json) ? (res.json.error.message ?? "") : "";
  if (res.status === 404)
    return {
      identity: { said: "not known: the service account does not exist" },
      result: diagnosisResult("service_account_not_found", {
        id,
        status: "fail",
        project: run.projectId,
        detail: `IAM projects.serviceAccounts.get: HTTP 404${message ? ` ${message}` : ""}: ${run.serviceAccount} is not in project ${project} (deleted, or never created there)`,
      }),
      gone: true,
    };
  if (res.status === 403)
    return unknown(
      `IAM refused projects.serviceAccounts.get (HTTP 403): the credential lacks ${GET_PERMISSION} on the service account or its project (roles/iam.serviceAccountViewer has it)`,
    );
  if (res.status === 401) return unknown("IAM refused the cloud credential (HTTP 401): expired or revoked");
  return unknown(`IAM projects.serviceAccounts.get answered HTTP ${res.status}${message ? `: ${message}` : ""}`);
}

function keySigner(run: ServiceAccountRun): Signer {
  const key = run.key!;
  return async (claims) => ({ jwt: signJwtRs256(claims, key.privateKey, key.keyId) });
}

/** One token request: act as the row's mailbox for the row's scope. */
async function tokenRow(ctx: LiveContext, run: ServiceAccountRun, sign: Signer, row: Row): Promise<RowOutcome> {
  const signed = await sign(dwdClaims(run.serviceAccount, row.mailbox, [row.scope], Date.now()));
  if ("failure" in signed) return { kind: "result", row, result: { ...signed.failure, id: row.id } };
  const outcome = await request(ctx, ctx.endpoints.token, {
    form: { grant_type: JWT_BEARER_GRANT, assertion: signed.jwt },
  });
  const what = `${row.mailbox} × ${short(row.scope)}`;
  if (transient(outcome))
    return { kind: "result", row, result: unavailable(row.id, outcome, `token endpoint (${what})`, run.projectId) };
  const res = outcome as Extract<HttpOutcome, { kind: "response" }>;
  const body = (res.json ?? {}) as { access_token?: unknown; error?: unknown; error_description?: unknown };
  if (res.status === 200 && typeof body.access_token === "string")
    return { kind: "token", row, accessToken: body.access_token };
  const error = typeof body.error === "string" ? body.error : "";
  const description = typeof body.error_description === "string" ? body.error_description : "";
  // unauthorized_client's description is the same generic sentence on every row (google-behaviour.md §10): the finding's cause says
  // what it means, so each row's evidence is the row and the answer.
  if (error === "unauthorized_client")
    return { kind: "unauthorized", row, said: `${what}: HTTP ${res.status} ${error}` };
  const said = `${what}: HTTP ${res.status} ${error}${description ? ` (${description})` : ""}`;
  const code = tokenErrorCode(error, description);
  if (!code)
    return {
      kind: "result",
      row,
      result: diagnosisResult("google_unavailable", {
        id: row.id,
        status: "inconclusive",
        project: run.projectId,
        detail: `${said}; not in the catalogue: run \`gmail-oauth explain\` on it`,
      }),
    };
  return {
    kind: "result",
    row,
    result: diagnosisResult(code, { id: row.id, status: "fail", project: run.projectId, detail: said }),
  };
}

/** The JWT bearer grant's errors (google-behaviour.md §10), other than unauthorized_client, which needs every row to judge. */
function tokenErrorCode(error: string, description: string): DiagnosisCode | undefined {
  if (error === "invalid_client") return "service_account_not_found";
  if (error !== "invalid_grant") return undefined;
  if (/Invalid email or User ID|Not a valid email/i.test(description)) return "dwd_user_not_found";
  if (/Invalid JWT Signature/i.test(description)) return "service_account_key_invalid";
  if (/short-lived token|reasonable timeframe|iat|exp/i.test(description)) return "clock_skew";
  return undefined;
}

/**
 * unauthorized_client does not say which of its causes it is (google-behaviour.md §10); the rows together do. Within one domain,
 * no row passing means the client ID is not delegated there at all; some passing means scopes are missing. Every
 * failing row carries the same one prefilled link: it writes the full declared list, so applying it once fixes all.
 */
function judgeUnauthorized(
  run: ServiceAccountRun,
  identity: ClientIdentity,
  outcomes: readonly RowOutcome[],
): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>();
  const byDomain = new Map<string, RowOutcome[]>();
  for (const o of outcomes) {
    const d = emailDomain(o.row.mailbox);
    byDomain.set(d, [...(byDomain.get(d) ?? []), o]);
  }
  const missing = [...new Set(outcomes.filter((o) => o.kind === "unauthorized").map((o) => o.row.scope))];
  const link = identity.uniqueId ? dwdPrefilledLink(identity.uniqueId, run.scopes) : DWD_CONSOLE_URL;
  const clientId = identity.uniqueId
    ? `${identity.uniqueId} (${identity.said})`
    : `= the service account's unique ID, ${identity.said}`;
  for (const rows of byDomain.values()) {
    const anyPassed = rows.some((o) => o.kind === "token");
    const anyUnknown = rows.some((o) => o.kind === "result" && o.result.status === "inconclusive");
    for (const o of rows) {
      if (o.kind !== "unauthorized") continue;
      const code = isConsumerAddress(o.row.mailbox)
        ? "dwd_consumer_account"
        : anyPassed
          ? "dwd_scope_not_authorized"
          : "dwd_client_not_authorized";
      const detail =
        code === "dwd_scope_not_authorized"
          ? `${o.said}. Client ID ${clientId}: missing ${missing.map(short).join(", ")}; ${identity.uniqueId ? "the link sets" : "enter"} the full list ${dwdScopeField(run.scopes)}`
          : code === "dwd_client_not_authorized"
            ? `${o.said}. Client ID ${clientId}: no requested scope works in ${emailDomain(o.row.mailbox)}; scopes to enter: ${dwdScopeField(run.scopes)}`
            : o.said;
      out.set(
        o.row.id,
        diagnosisResult(code, {
          id: o.row.id,
          status: "fail",
          detail,
          links: code === "dwd_consumer_account" ? [] : [link],
          // With some rows unanswered, "no scope works" is read from the rows that answered.
          ...(code === "dwd_client_not_authorized" && anyUnknown ? { inferred: true } : {}),
        }),
      );
    }
  }
  return out;
}

/** One Gmail call as the mailbox (google-behaviour.md §5.1, §5.2, §10). */
async function gmailAs(ctx: LiveContext, run: ServiceAccountRun, mailbox: string, token: string): Promise<CheckResult> {
  const id = `sa.gmail[${mailbox}]`;
  const title = `Gmail answers as ${mailbox}`;
  const outcome = await request(ctx, ctx.endpoints.gmail("users/me/profile"), {
    headers: { authorization: `Bearer ${token}` },
  });
  if (transient(outcome)) return unavailable(id, outcome, `Gmail (${mailbox})`, run.projectId);
  const res = outcome as Extract<HttpOutcome, { kind: "response" }>;
  const address = (res.json as { emailAddress?: unknown } | undefined)?.emailAddress;
  if (res.status === 200 && typeof address === "string")
    return pass(
      id,
      title,
      `users.getProfile: ${address}${address.toLowerCase() === mailbox ? "" : ` (asked for ${mailbox})`}`,
    );
  const info = isApiErrorBody(res.json) ? classifyApiError(res.json) : undefined;
  const message = info?.message ?? "";
  const code: DiagnosisCode | undefined = /Precondition check failed/i.test(message)
    ? "service_account_no_subject"
    : /Delegation denied/i.test(message)
      ? "delegation_denied"
      : info?.code;
  if (!code || code === "google_unavailable")
    return diagnosisResult("google_unavailable", {
      id,
      status: "inconclusive",
      project: run.projectId,
      detail: `Gmail answered HTTP ${res.status}${message ? `: ${message}` : ""}`,
    });
  return diagnosisResult(code, {
    id,
    status: "fail",
    project: info?.projectNumber ?? run.projectId,
    detail: `${mailbox}: HTTP ${res.status} ${message}`.trim(),
    ...(info?.activationUrl ? { links: [info.activationUrl] } : {}),
  });
}

export async function runServiceAccountChecks(
  run: ServiceAccountRun,
  hooks: ServiceAccountHooks = {},
): Promise<CheckResult[]> {
  const progress = hooks.progress ?? (() => {});
  const ctx = liveContext(run.base);
  const target = run.base.googleOrigin ? ` (via ${run.base.googleOrigin})` : "";
  const results: CheckResult[] = [];

  const consumer = run.mailboxes.filter(isConsumerAddress);
  for (const m of consumer)
    results.push(
      diagnosisResult("dwd_consumer_account", {
        id: `sa.mailbox[${m}]`,
        status: "fail",
        detail: `${m} is a consumer account: no token was requested`,
      }),
    );
  const rows: Row[] = run.mailboxes
    .filter((m) => !isConsumerAddress(m))
    .flatMap((mailbox) => run.scopes.map((scope) => ({ mailbox, scope, id: `sa.token[${mailbox}][${scope}]` })));

  let identity: ClientIdentity = run.uniqueId
    ? { uniqueId: run.uniqueId, said: `from ${run.uniqueIdSource ?? "the spec"}` }
    : { said: "not known: pass --spec with the stack output (serviceAccounts[].uniqueId)" };
  // The signer first: one signJwt proves the permission, so a missing role is one finding, not one per row.
  let sign: Signer;
  if (run.key) {
    results.push(
      pass(
        "sa.signer",
        "Signs with the service account's key",
        `key ${run.key.keyId ?? "(no private_key_id)"} from ${run.key.path}; whether Google still accepts it is judged by the token requests`,
      ),
    );
    sign = keySigner(run);
  } else {
    const cred = await cloudToken(ctx, [CLOUD_PLATFORM_SCOPE]);
    if (!cred.token) {
      results.push(
        diagnosisResult(cred.fault ?? "cloud_credentials_missing", {
          id: "sa.signer",
          status: "inconclusive",
          project: run.projectId,
          detail: `keyless signing needs a cloud credential: ${cred.problem}`,
        }),
      );
      return [
        ...results,
        ...rows.map((r) => skip(r.id, `Acts as ${r.mailbox} for ${short(r.scope)}`, "nothing to sign with")),
      ];
    }
    if (!identity.uniqueId) {
      progress(`IAM${target}: projects.serviceAccounts.get ${run.serviceAccount} (its unique ID, with ${cred.source})`);
      const looked = await lookUpIdentity(ctx, run, cred.token);
      identity = looked.identity;
      results.push(looked.result);
      if (looked.gone)
        return [
          ...results,
          ...rows.map((r) =>
            skip(r.id, `Acts as ${r.mailbox} for ${short(r.scope)}`, "the service account does not exist"),
          ),
          clockCheck(ctx),
        ];
    }
    progress(`IAM Credentials${target}: signJwt as ${run.serviceAccount} (keyless, with ${cred.source})`);
    sign = keylessSigner(ctx, run, cred.token);
    const probe = rows[0];
    if (probe) {
      const first = await sign(dwdClaims(run.serviceAccount, probe.mailbox, [probe.scope], Date.now()));
      if ("failure" in first) {
        results.push(first.failure);
        return [
          ...results,
          ...rows.map((r) => skip(r.id, `Acts as ${r.mailbox} for ${short(r.scope)}`, "the JWT could not be signed")),
          clockCheck(ctx),
        ];
      }
      results.push(
        pass(
          "sa.signer",
          "Signs keyless through IAM Credentials signJwt",
          `as ${run.serviceAccount} with ${cred.source}`,
        ),
      );
    }
  }

  progress(
    `token endpoint${target}: ${rows.length} token requests (${run.mailboxes.length - consumer.length} mailboxes × ${run.scopes.length} scopes), ${run.concurrency} at a time`,
  );
  const outcomes: RowOutcome[] = [];
  await runOrdered(
    rows,
    run.concurrency,
    (row) => tokenRow(ctx, run, sign, row),
    (o) => outcomes.push(o),
  );
  const judged = judgeUnauthorized(run, identity, outcomes);
  for (const o of outcomes) {
    if (o.kind === "token")
      results.push(
        pass(o.row.id, `Acts as ${o.row.mailbox} for ${short(o.row.scope)}`, "token issued (JWT bearer grant)"),
      );
    else if (o.kind === "result") results.push(o.result);
    else results.push(judged.get(o.row.id)!);
  }

  // Gmail once per mailbox, with a token whose scope allows users.getProfile.
  const mailboxes = [...new Set(rows.map((r) => r.mailbox))];
  progress(`Gmail${target}: users.getProfile as each of ${mailboxes.length} mailboxes`);
  await runOrdered(
    mailboxes,
    run.concurrency,
    async (mailbox) => {
      const mine = outcomes.filter((o) => o.row.mailbox === mailbox);
      const usable = mine.find((o) => o.kind === "token" && allowsGetProfile([o.row.scope]));
      const title = `Gmail answers as ${mailbox}`;
      if (usable?.kind === "token") return gmailAs(ctx, run, mailbox, usable.accessToken);
      if (mine.some((o) => o.kind === "token"))
        return skip(`sa.gmail[${mailbox}]`, title, "no declared scope allows users.getProfile (e.g. gmail.send only)");
      return skip(`sa.gmail[${mailbox}]`, title, "no token was issued for this mailbox");
    },
    (r) => results.push(r),
  );
  results.push(clockCheck(ctx));
  return results.map((r) => (r.detail ? { ...r, detail: redact(r.detail) } : r));
}
