import { describe, expect, it } from "vitest";
import { classifyTokenError } from "../../../validator/classify";
import { classifyGmailError } from "../../../validator/token/tokenErrors";

const err = (status: number, error: string, description?: string, subtype?: string) => ({
  status,
  error,
  description,
  subtype,
});

describe("classifyTokenError (google-behaviour.md §2.3)", () => {
  it("splits invalid_client by Google's description", () => {
    expect(classifyTokenError(err(401, "invalid_client", "Unauthorized"), "refresh")).toBe("client_secret_invalid");
    expect(classifyTokenError(err(401, "invalid_client", "The OAuth client was not found."), "refresh")).toBe(
      "client_not_found",
    );
  });

  it("reads the refresh-time errors", () => {
    expect(classifyTokenError(err(400, "invalid_grant", "Token has been expired or revoked."), "refresh")).toBe(
      "refresh_token_invalid",
    );
    expect(classifyTokenError(err(401, "unauthorized_client", "Unauthorized"), "refresh")).toBe(
      "refresh_token_wrong_client",
    );
    expect(classifyTokenError(err(401, "deleted_client", "The OAuth client was deleted."), "refresh")).toBe(
      "client_deleted",
    );
    expect(
      classifyTokenError(err(400, "invalid_grant", "reauth related error (invalid_rapt)", "invalid_rapt"), "refresh"),
    ).toBe("invalid_rapt");
  });

  it("reads the exchange-time errors", () => {
    expect(classifyTokenError(err(400, "invalid_grant", "Malformed auth code."), "exchange")).toBe(
      "malformed_auth_code",
    );
    expect(classifyTokenError(err(400, "invalid_grant", "Bad Request"), "exchange")).toBe("auth_code_reused");
    expect(classifyTokenError(err(400, "invalid_grant", "Missing code verifier."), "exchange")).toBe(
      "pkce_verifier_invalid",
    );
    expect(classifyTokenError(err(400, "redirect_uri_mismatch", "Bad Request"), "exchange")).toBe(
      "code_exchange_redirect_mismatch",
    );
    expect(classifyTokenError(err(400, "invalid_request", "client_secret is missing."), "exchange")).toBe(
      "client_secret_missing",
    );
    expect(classifyTokenError(err(401, "unauthorized_client"), "exchange")).toBeUndefined();
    expect(classifyTokenError(err(400, "something_new"), "exchange")).toBeUndefined();
  });
});

describe("classifyGmailError (google-behaviour.md §5)", () => {
  it("finds the activation URL and project number in the current SERVICE_DISABLED format", () => {
    const url = "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=861228239640";
    const body = {
      error: {
        code: 403,
        message: `Gmail API has not been used in project 861228239640 before or it is disabled. Enable it by visiting ${url} then retry.`,
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "SERVICE_DISABLED",
            domain: "googleapis.com",
            metadata: {
              service: "gmail.googleapis.com",
              consumer: "projects/861228239640",
              containerInfo: "861228239640",
              activationUrl: url,
            },
          },
        ],
      },
    };
    expect(classifyGmailError(403, body)).toMatchObject({
      kind: "api_disabled",
      activationUrl: url,
      projectNumber: "861228239640",
    });
  });

  it("reads the legacy accessNotConfigured format from the message alone", () => {
    const body = {
      error: {
        code: 403,
        message:
          "Gmail API has not been used in project 42 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=42 then retry.",
        errors: [{ reason: "accessNotConfigured", domain: "usageLimits" }],
      },
    };
    expect(classifyGmailError(403, body)).toMatchObject({
      kind: "api_disabled",
      projectNumber: "42",
      activationUrl: "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=42",
    });
  });

  it("tells a missing mailbox, a missing scope and a bad token apart", () => {
    expect(
      classifyGmailError(400, {
        error: {
          code: 400,
          message: "Mail service not enabled",
          errors: [{ message: "Mail service not enabled", domain: "global", reason: "failedPrecondition" }],
          status: "FAILED_PRECONDITION",
        },
      }).kind,
    ).toBe("mail_service_not_enabled");
    expect(
      classifyGmailError(403, {
        error: {
          code: 403,
          message: "Request had insufficient authentication scopes.",
          errors: [{ reason: "insufficientPermissions" }],
          details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }],
        },
      }).kind,
    ).toBe("insufficient_scope");
    expect(
      classifyGmailError(401, {
        error: {
          code: 401,
          message: "Request had invalid authentication credentials.",
          errors: [{ reason: "authError" }],
        },
      }).kind,
    ).toBe("invalid_credentials");
    expect(classifyGmailError(418, "teapot")).toMatchObject({ kind: "other", message: "HTTP 418: HTTP 418" });
  });
});
