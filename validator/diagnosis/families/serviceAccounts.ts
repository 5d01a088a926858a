// Service accounts with domain-wide delegation (docs/google-behaviour.md §10): the JWT bearer grant's answers, IAM
// Credentials' refusals for keyless signing, and Gmail's answers to a token that impersonates nobody or someone else.
import { precondition, says, type Family, type Rule, type VocabularyEntry } from "../rule";

const SA_ERRORS = "https://developers.google.com/identity/protocols/oauth2/service-account#error-codes";

const vocabulary: readonly VocabularyEntry[] = [
  {
    says: '{"error":"unauthorized_client","error_description":"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested."}',
    code: "dwd_client_not_authorized",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Invalid email or User ID"}',
    code: "dwd_user_not_found",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Not a valid email."}',
    code: "dwd_user_not_found",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Invalid JWT Signature."}',
    code: "service_account_key_invalid",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim."}',
    code: "clock_skew",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: '{"error":"invalid_grant","error_description":"Invalid grant: account not found"}',
    code: "service_account_not_found",
    channel: "token",
    source: SA_ERRORS,
  },
  {
    says: "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).",
    code: "sign_jwt_permission_denied",
    channel: "api",
    source: "https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt",
  },
  {
    says: '{"error":{"code":404,"message":"Not found; Gaia id not found for email relay@example-project.iam.gserviceaccount.com","status":"NOT_FOUND"}}',
    code: "service_account_not_found",
    channel: "api",
    source: "https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt",
  },
  {
    says: '{"error":{"code":400,"message":"Precondition check failed.","errors":[{"message":"Precondition check failed.","domain":"global","reason":"failedPrecondition"}],"status":"FAILED_PRECONDITION"}}',
    code: "service_account_no_subject",
    channel: "api",
    source: "https://developers.google.com/workspace/gmail/api/guides/handle-errors",
  },
  {
    says: '{"error":{"code":403,"message":"Delegation denied for someone@example.com","errors":[{"message":"Delegation denied for someone@example.com","domain":"global","reason":"forbidden"}],"status":"PERMISSION_DENIED"}}',
    code: "delegation_denied",
    channel: "api",
    source: "https://developers.google.com/workspace/gmail/api/guides/handle-errors",
  },
];

const rules: readonly Rule[] = [
  {
    id: "dwd-not-authorized",
    precedence: 255,
    code: "dwd_client_not_authorized",
    holds: (s) =>
      says(
        s,
        /Client is unauthorized to retrieve access tokens using this method|Unauthorized client or scope in request|client not authorized for any of the scopes requested/i,
      ),
    note: "from the text alone all scopes and some scopes read the same; validate --service-account tells them apart per scope",
    alternatives: [
      { code: "dwd_scope_not_authorized", when: "if other scopes of the same client work for the mailbox" },
    ],
  },
  {
    id: "dwd-user",
    precedence: 260,
    code: "dwd_user_not_found",
    holds: (s) =>
      says(s, /Invalid email or User ID|Invalid impersonation "?sub"? field/i) ||
      (s.error === "invalid_grant" && says(s, /Not a valid email/i)),
  },
  {
    id: "sa-unknown",
    precedence: 238,
    code: "service_account_not_found",
    // The JWT bearer grant names the service account as its issuer: an unknown one is an unknown "client".
    holds: (s) =>
      says(s, /Gaia id not found for email|Invalid grant: account not found/i) ||
      (s.grant === "jwt_bearer" && says(s, /The OAuth client was not found/i)),
  },
  {
    id: "sa-key-invalid",
    precedence: 265,
    code: "service_account_key_invalid",
    holds: (s) => says(s, /Invalid JWT Signature/i),
  },
  {
    id: "sign-jwt-denied",
    precedence: 270,
    code: "sign_jwt_permission_denied",
    // Keyless signing and token minting go through IAM Credentials (signJwt, signBlob, generateAccessToken), which
    // answer 403 without the Service Account Token Creator role on the service account.
    holds: (s) =>
      says(s, /Permission '?iam\.serviceAccounts\.(?:signJwt|signBlob|getAccessToken)'? denied/i) ||
      (says(
        s,
        /signJwt|signBlob|generateAccessToken|trying to sign|SigningException|Failed to generate Google Cloud access token/i,
      ) &&
        says(s, /\b403\b|PERMISSION_DENIED|caller does not have permission/i)),
  },
  {
    id: "gam-dwd-check",
    precedence: 256,
    code: "dwd_client_not_authorized",
    // GAM's `check serviceaccount` prints one FAIL row per scope the delegation does not grant.
    holds: (s) => says(s, /Domain-wide Delegation authentication|^\s*(?:Scope: )?https:\/\/\S+\s+FAIL\b/im),
    alternatives: [{ code: "dwd_scope_not_authorized", when: "if some of the listed scopes PASS" }],
  },
  {
    id: "grant-jwt",
    precedence: 420,
    code: null,
    holds: (s) => s.error === "invalid_grant" && s.grant === "jwt_bearer",
    note: "a service account's signed assertion was refused (clock, key or subject)",
  },
  {
    id: "precondition",
    precedence: 535,
    code: "service_account_no_subject",
    holds: (s) => precondition(s),
    note: "Gmail's 'Precondition check failed': a service account calling Gmail without impersonating a mailbox, or an account without Gmail",
    alternatives: [
      {
        code: "mail_service_not_enabled",
        when: "if the call used a person's own OAuth token: that account has no Gmail",
      },
    ],
  },
  {
    id: "delegation-denied",
    precedence: 540,
    code: "delegation_denied",
    holds: (s) => says(s, /Delegation denied\b/i),
    note: "the call named a mailbox other than the authenticated (or impersonated) one",
  },
];

export const SERVICE_ACCOUNTS: Family = {
  id: "service-accounts",
  title: "Service accounts and domain-wide delegation",
  vocabulary,
  rules,
};
