// Offline checks: what can be judged from the declared inputs alone. Pure, synchronous, one result per question.
// A check whose inputs were not declared is skipped with the flag that would enable it, never guessed.
import { explainMismatch, isLoopbackUri, redirectUriProblems } from "../google/redirectUris";
import { ENV } from "../common/env";
import { isKnownScope, needsVerification, onlyIdentityScopes, scopeInfo, strictestClass } from "../google/scopes";
import { emailDomain, isConsumerAddress } from "../google/identifiers";
import { MAX_TEST_USERS } from "../connection/rules";
import { diagnosisResult } from "./diagnoses";
import type { CheckResult, ValidationInput } from "./types";

type Ctx = { project?: string; clientId?: string };

const ctx = (input: ValidationInput): Ctx => ({ project: input.project, clientId: input.clientId });

export const pass = (id: string, title: string, detail?: string): CheckResult => ({
  id,
  status: "pass",
  title,
  ...(detail ? { detail } : {}),
});
export const skip = (id: string, title: string, detail: string): CheckResult => ({ id, status: "skip", title, detail });

/** "; the client file registers X: <what differs>" when a registered URI is a near miss (trailing slash, scheme, …). */
export function nearMiss(uri: string, registered: readonly string[] | undefined): string {
  const near = registered && explainMismatch(uri, registered);
  return near ? `; the client file registers ${near.nearest}: ${near.difference}` : "";
}

function clientFileCheck(input: ValidationInput): CheckResult {
  const id = "offline.client-file";
  if (!input.clientFile) return skip(id, "Client file", "no --client-secret-file given");
  const webUris = input.redirectUris.filter((u) => !isLoopbackUri(u));
  if (input.clientType === "desktop" && webUris.length > 0) {
    return diagnosisResult("client_file_desktop_type", {
      id,
      status: "fail",
      ...ctx(input),
      detail: `${input.clientFile.path} is an "installed" (Desktop) client, but the app redirects to ${webUris.join(", ")}`,
    });
  }
  if (input.clientFile.problems.length > 0) {
    return diagnosisResult("client_file_invalid", {
      id,
      status: input.clientSecret ? "warn" : "fail",
      ...ctx(input),
      detail: input.clientFile.problems.join("; "),
    });
  }
  return pass(
    id,
    "Client file",
    `${input.clientType === "desktop" ? 'Desktop ("installed")' : "Web application"} client ${input.clientId}`,
  );
}

function clientSecretCheck(input: ValidationInput): CheckResult {
  const id = "offline.client-secret";
  if (!input.clientId)
    return skip(id, "Client secret", "no client ID declared: pass --client-id or --client-secret-file");
  if (!input.clientSecret)
    return diagnosisResult("client_secret_missing", {
      id,
      status: "fail",
      ...ctx(input),
      detail: `neither --client-secret-file nor ${ENV.clientSecret} provides one`,
    });
  return pass(
    id,
    "Client secret",
    `provided (${input.provenance.clientSecret === "env" ? ENV.clientSecret : "client file"})`,
  );
}

function redirectUriChecks(input: ValidationInput): CheckResult[] {
  if (input.redirectUris.length === 0)
    return [skip("offline.redirect-uris", "Redirect URIs", "none declared: pass --redirect-uri or a spec client")];
  const kind = input.clientType ?? "web";
  return input.redirectUris.map((uri): CheckResult => {
    const id = `offline.redirect-uri[${uri}]`;
    const problems = redirectUriProblems(uri, kind);
    if (problems.length > 0) {
      const first = problems[0];
      return diagnosisResult(first.code, {
        id,
        status: "fail",
        ...ctx(input),
        detail: `${uri}: ${problems.map((p) => `${p.message} (${p.fix})`).join("; ")}`,
      });
    }
    // The downloaded file lists the URIs registered when it was downloaded: a hint only; the live check decides.
    if (kind === "web" && input.registeredRedirectUris && !input.registeredRedirectUris.includes(uri)) {
      // A loopback URI registered with another port: that a Web client refuses it is UNCONFIRMED (google-behaviour.md §8.1).
      const difference = isLoopbackUri(uri)
        ? explainMismatch(uri, input.registeredRedirectUris)?.difference
        : undefined;
      const portOnly = difference?.startsWith("port differs") && !difference.includes(";");
      const inferred = portOnly
        ? "; inferred: Google documents no loopback-port exception for Web clients, but has not confirmed it refuses another port"
        : "";
      return diagnosisResult("redirect_uri_not_registered", {
        id,
        status: "warn",
        ...ctx(input),
        ...(portOnly ? { inferred: true } : {}),
        detail: `${uri} is not among the redirect_uris of the client file (${input.registeredRedirectUris.join(", ") || "none"})${nearMiss(uri, input.registeredRedirectUris)}; the file may be older than the console${inferred}`,
      });
    }
    return pass(id, "Redirect URI follows Google's rules", uri);
  });
}

function scopeCheck(input: ValidationInput): CheckResult {
  const id = "offline.scopes";
  const unknown = input.scopes.filter((s) => !isKnownScope(s));
  const classes = input.scopes.map((s) => `${s} (${scopeInfo(s)?.class ?? "unknown"})`).join(", ");
  if (unknown.length > 0)
    return diagnosisResult("unknown_scope", {
      id,
      status: "warn",
      ...ctx(input),
      detail: `${unknown.join(", ")} not in the scope table; requested: ${classes}`,
    });
  return pass(id, "Scopes known and classified", classes);
}

function testUserCheck(input: ValidationInput): CheckResult {
  const id = "offline.audience.test-users";
  const a = input.audience;
  if (!a?.userType || !a.publishingStatus)
    return skip(id, "Test users", "audience not declared: pass --user-type and --publishing-status, or a spec");
  if (a.userType !== "external" || a.publishingStatus !== "testing")
    return skip(id, "Test users", `not used by a ${a.userType} app in ${a.publishingStatus}`);
  if (onlyIdentityScopes(input.scopes))
    return skip(id, "Test users", "only sign-in scopes requested: Google does not gate them on test users");
  const users = a.testUsers;
  if (users === undefined) return skip(id, "Test users", "test users not declared: pass --test-user or a spec");
  if (users.length === 0)
    return diagnosisResult("no_test_users", {
      id,
      status: "fail",
      ...ctx(input),
      detail: "External app in Testing with an empty test-user list",
    });
  if (users.length > MAX_TEST_USERS)
    return diagnosisResult("test_user_limit_exceeded", {
      id,
      status: "fail",
      ...ctx(input),
      detail: `${users.length} test users declared; Google allows ${MAX_TEST_USERS}`,
    });
  return pass(id, "Test users", `${users.length} declared`);
}

function accountCheck(input: ValidationInput): CheckResult {
  const id = "offline.audience.account";
  const a = input.audience;
  if (!input.account) return skip(id, "Account admitted by the audience", "no --account given");
  if (!a?.userType || !a.publishingStatus)
    return skip(
      id,
      "Account admitted by the audience",
      "audience not declared: pass --user-type and --publishing-status, or a spec",
    );
  const account = input.account.toLowerCase();
  const domain = emailDomain(account);
  if (a.userType === "internal") {
    if (isConsumerAddress(account)) {
      return diagnosisResult("org_internal", {
        id,
        status: "fail",
        ...ctx(input),
        detail: `${input.account} is a consumer Gmail account; it cannot belong to an organization`,
      });
    }
    if (!input.organizationDomain)
      return skip(
        id,
        "Account admitted by the audience",
        "Internal app, but the organization's domain is not declared (spec organizationDomain)",
      );
    const org = input.organizationDomain.toLowerCase();
    if (domain !== org && !domain.endsWith(`.${org}`)) {
      // A Workspace organization can own secondary domains we cannot see, hence "inferred".
      return diagnosisResult("org_internal", {
        id,
        status: "fail",
        ...ctx(input),
        inferred: true,
        detail: `${input.account} is outside ${org} (unless ${domain} is a secondary domain of the organization)`,
      });
    }
    return pass(id, "Account admitted by the audience", `${input.account} is in the organization ${org}`);
  }
  if (a.publishingStatus === "production")
    return pass(id, "Account admitted by the audience", "published External app: any Google account may authorize");
  if (onlyIdentityScopes(input.scopes))
    return pass(id, "Account admitted by the audience", "only sign-in scopes: no test-user gate");
  if (a.testUsers === undefined)
    return skip(id, "Account admitted by the audience", "test users not declared: pass --test-user or a spec");
  if (!a.testUsers.some((u) => u.toLowerCase() === account)) {
    return diagnosisResult("account_not_test_user", {
      id,
      status: "fail",
      ...ctx(input),
      detail: `${input.account} is not among the ${a.testUsers.length} test user(s)`,
    });
  }
  return pass(id, "Account admitted by the audience", `${input.account} is a test user`);
}

function verificationCheck(input: ValidationInput): CheckResult {
  const id = "offline.audience.verification";
  const a = input.audience;
  if (!a?.userType || !a.publishingStatus)
    return skip(id, "Verification", "audience not declared: pass --user-type and --publishing-status, or a spec");
  if (a.userType === "internal") return pass(id, "Verification", "Internal apps need no verification");
  if (a.publishingStatus !== "production") return skip(id, "Verification", "not needed while in Testing");
  const gated = input.scopes.filter(needsVerification);
  if (gated.length === 0) return pass(id, "Verification", "no sensitive or restricted scopes");
  if (a.verification === "verified") return pass(id, "Verification", "declared verified");
  const code =
    strictestClass(gated) === "restricted" ? "production_unverified_restricted_scope" : "gmail_send_unverified";
  const declared = a.verification
    ? `verification declared '${a.verification}'`
    : "verification status not declared (spec audience.verification), so assumed not verified";
  return diagnosisResult(code, {
    id,
    status: "warn",
    ...ctx(input),
    inferred: a.verification === undefined,
    detail: `published External app requesting ${gated.join(", ")}; ${declared}`,
  });
}

function refreshExpiryCheck(input: ValidationInput): CheckResult {
  const id = "offline.audience.refresh-expiry";
  const a = input.audience;
  if (!a?.userType || !a.publishingStatus)
    return skip(
      id,
      "Refresh token lifetime",
      "audience not declared: pass --user-type and --publishing-status, or a spec",
    );
  if (a.userType === "external" && a.publishingStatus === "testing" && !onlyIdentityScopes(input.scopes)) {
    return diagnosisResult("testing_refresh_token_expiry", {
      id,
      status: "warn",
      ...ctx(input),
      detail: "External app in Testing requesting Gmail scopes: every refresh token expires 7 days after consent",
    });
  }
  return pass(id, "Refresh token lifetime", "no 7-day Testing expiry");
}

function organizationCheck(input: ValidationInput): CheckResult {
  const id = "offline.audience.organization";
  const a = input.audience;
  if (a?.userType !== "internal")
    return skip(id, "Organization for an Internal app", a?.userType ? "External app" : "user type not declared");
  const project = input.spec?.project;
  if (!project) return skip(id, "Organization for an Internal app", "no spec: the project's parent is unknown");
  if (project.orgId || project.folderId)
    return pass(
      id,
      "Organization for an Internal app",
      `project under ${project.orgId ? `organization ${project.orgId}` : `folder ${project.folderId}`}`,
    );
  if (project.mode === "adopt")
    return skip(id, "Organization for an Internal app", "adopted project: its parent is not declared in the spec");
  return diagnosisResult("internal_without_organization", {
    id,
    status: "fail",
    ...ctx(input),
    detail: `project ${project.id} is created without orgId or folderId`,
  });
}

export function offlineChecks(input: ValidationInput): CheckResult[] {
  return [
    clientFileCheck(input),
    clientSecretCheck(input),
    ...redirectUriChecks(input),
    scopeCheck(input),
    testUserCheck(input),
    accountCheck(input),
    verificationCheck(input),
    refreshExpiryCheck(input),
    organizationCheck(input),
  ];
}
