// Offline checks: pure judgements of the declared inputs; undeclared inputs skip, never guess.
import { describe, expect, it, test } from "vitest";
import { nearMiss, offlineChecks } from "../../validator/offline";
import type { CheckResult, ValidationInput } from "../../validator/types";
import type { ConnectionSpec } from "../../connection/types";

const CLIENT = "123456789012-abc123.apps.googleusercontent.com";
const base: ValidationInput = {
  clientId: CLIENT,
  clientSecret: "GOCSPX-offline-0001",
  clientType: "web",
  redirectUris: ["https://mail.example.com/cb"],
  scopes: ["https://mail.google.com/"],
  project: "acme-mail",
  deadline: 0,
  provenance: { clientSecret: "env" },
};

function check(input: Partial<ValidationInput>, id: string): CheckResult {
  const c = offlineChecks({ ...base, ...input }).find((x) => x.id === id);
  if (!c) throw new Error(`no ${id}`);
  return c;
}

const testing = { userType: "external", publishingStatus: "testing" } as const;
const production = { userType: "external", publishingStatus: "production" } as const;

describe("client file and secret", () => {
  test("skipped without a file; a Desktop file with a web redirect fails", () => {
    expect(check({}, "offline.client-file").status).toBe("skip");
    const c = check({ clientType: "desktop", clientFile: { path: "c.json", problems: [] } }, "offline.client-file");
    expect(c).toMatchObject({ status: "fail", diagnosis: "client_file_desktop_type" });
    expect(
      check(
        {
          clientType: "desktop",
          redirectUris: ["http://127.0.0.1:8085/"],
          clientFile: { path: "c.json", problems: [] },
        },
        "offline.client-file",
      ).status,
    ).toBe("pass");
  });

  test("problems inside the file: warn when a secret is still at hand, fail when not", () => {
    expect(
      check({ clientFile: { path: "c.json", problems: ["web.token_uri is missing"] } }, "offline.client-file"),
    ).toMatchObject({ status: "warn", diagnosis: "client_file_invalid", detail: "web.token_uri is missing" });
    expect(
      check(
        { clientSecret: undefined, clientFile: { path: "c.json", problems: ["web.client_secret is missing"] } },
        "offline.client-file",
      ).status,
    ).toBe("fail");
  });

  test("client secret: skipped without a client ID, fails without a secret", () => {
    expect(check({ clientId: undefined }, "offline.client-secret").status).toBe("skip");
    expect(check({ clientSecret: undefined }, "offline.client-secret")).toMatchObject({
      status: "fail",
      diagnosis: "client_secret_missing",
    });
    expect(check({}, "offline.client-secret").detail).toBe("provided (GMAIL_OAUTH_CLIENT_SECRET)");
  });
});

describe("redirect URIs", () => {
  test.each([
    ["http://mail.example.com/cb", "redirect_uri_invalid"],
    ["https://odoo.local/google_gmail/confirm", "redirect_uri_invalid"],
    ["https://203.0.113.7/cb", "redirect_uri_invalid"],
    ["https://mail.example.com/cb#x", "redirect_uri_invalid"],
    ["com.example.app:/cb", "custom_scheme_on_web_client"],
    ["urn:ietf:wg:oauth:2.0:oob", "oob_flow_blocked"],
  ])("%s → %s", (uri, code) => {
    expect(check({ redirectUris: [uri] }, `offline.redirect-uri[${uri}]`)).toMatchObject({
      status: "fail",
      diagnosis: code,
    });
  });

  test("not in the downloaded file's list: a warning, since the file may be stale", () => {
    const c = check(
      { registeredRedirectUris: ["https://mail.example.com/cb/"] },
      "offline.redirect-uri[https://mail.example.com/cb]",
    );
    expect(c).toMatchObject({ status: "warn", diagnosis: "redirect_uri_not_registered" });
  });

  test("none declared → skip", () => {
    expect(check({ redirectUris: [] }, "offline.redirect-uris").status).toBe("skip");
  });
});

describe("scopes", () => {
  test("classified from the one table; unknown ones warn", () => {
    expect(
      check(
        {
          scopes: [
            "https://mail.google.com/",
            "https://www.googleapis.com/auth/gmail.send",
            "https://www.googleapis.com/auth/gmail.labels",
          ],
        },
        "offline.scopes",
      ).detail,
    ).toBe(
      "https://mail.google.com/ (restricted), https://www.googleapis.com/auth/gmail.send (sensitive), https://www.googleapis.com/auth/gmail.labels (non-sensitive)",
    );
    expect(check({ scopes: ["gmail.send"] }, "offline.scopes")).toMatchObject({
      status: "warn",
      diagnosis: "unknown_scope",
    });
  });
});

describe("the declared audience", () => {
  test("undeclared → every audience check skips", () => {
    const results = offlineChecks({ ...base, account: "ana@example.com" }).filter((c) =>
      c.id.startsWith("offline.audience"),
    );
    expect(results.map((c) => c.status)).toEqual(["skip", "skip", "skip", "skip", "skip"]);
  });

  test("no_test_users: Testing and External with none", () => {
    expect(check({ audience: { ...testing, testUsers: [] } }, "offline.audience.test-users")).toMatchObject({
      status: "fail",
      diagnosis: "no_test_users",
    });
  });

  test("test_user_limit_exceeded: more than 100", () => {
    const many = Array.from({ length: 101 }, (_, i) => `u${i}@example.com`);
    expect(check({ audience: { ...testing, testUsers: many } }, "offline.audience.test-users")).toMatchObject({
      status: "fail",
      diagnosis: "test_user_limit_exceeded",
    });
    expect(
      check({ audience: { ...testing, testUsers: many.slice(0, 100) } }, "offline.audience.test-users").status,
    ).toBe("pass");
  });

  test("account_not_test_user, compared without letter case", () => {
    expect(
      check(
        { account: "bo@example.com", audience: { ...testing, testUsers: ["ana@example.com"] } },
        "offline.audience.account",
      ),
    ).toMatchObject({ status: "fail", diagnosis: "account_not_test_user" });
    expect(
      check(
        { account: "ana@example.com", audience: { ...testing, testUsers: ["Ana@Example.com"] } },
        "offline.audience.account",
      ).status,
    ).toBe("pass");
  });

  test("identity-only scopes are not gated on test users (google-behaviour.md §3)", () => {
    const input = { scopes: ["openid", "email"], account: "bo@example.com", audience: { ...testing, testUsers: [] } };
    expect(check(input, "offline.audience.test-users").status).toBe("skip");
    expect(check(input, "offline.audience.account").status).toBe("pass");
    expect(check(input, "offline.audience.refresh-expiry").status).toBe("pass");
  });

  test("testing_refresh_token_expiry: Testing + Gmail scope warns", () => {
    expect(check({ audience: testing }, "offline.audience.refresh-expiry")).toMatchObject({
      status: "warn",
      diagnosis: "testing_refresh_token_expiry",
    });
    expect(check({ audience: production }, "offline.audience.refresh-expiry").status).toBe("pass");
  });

  test("production_unverified_restricted_scope and gmail_send_unverified", () => {
    const restricted = check(
      { audience: { ...production, verification: "not-submitted" } },
      "offline.audience.verification",
    );
    expect(restricted).toMatchObject({ status: "warn", diagnosis: "production_unverified_restricted_scope" });
    expect(restricted.inferred).toBeUndefined();
    expect(
      check(
        {
          scopes: ["https://www.googleapis.com/auth/gmail.send"],
          audience: { ...production, verification: "in-progress" },
        },
        "offline.audience.verification",
      ),
    ).toMatchObject({ status: "warn", diagnosis: "gmail_send_unverified" });
    expect(
      check({ audience: { ...production, verification: "verified" } }, "offline.audience.verification").status,
    ).toBe("pass");
    // Flags cannot declare verification: assumed not verified, and marked inferred.
    expect(check({ audience: production }, "offline.audience.verification")).toMatchObject({
      status: "warn",
      inferred: true,
    });
  });

  test("org_internal: a consumer account, or one outside the organization's domain (inferred)", () => {
    const internal = { userType: "internal", publishingStatus: "production" } as const;
    expect(check({ account: "ana@gmail.com", audience: internal }, "offline.audience.account")).toMatchObject({
      status: "fail",
      diagnosis: "org_internal",
    });
    const outside = check(
      { account: "ana@other.com", audience: internal, organizationDomain: "example.com" },
      "offline.audience.account",
    );
    expect(outside).toMatchObject({ status: "fail", diagnosis: "org_internal", inferred: true });
    expect(
      check(
        { account: "ana@example.com", audience: internal, organizationDomain: "example.com" },
        "offline.audience.account",
      ).status,
    ).toBe("pass");
    expect(check({ account: "ana@example.com", audience: internal }, "offline.audience.account").status).toBe("skip");
  });

  test("internal_without_organization: a created project with neither orgId nor folderId", () => {
    const spec = { project: { mode: "create", id: "p-123456", deletionProtection: true } } as unknown as ConnectionSpec;
    expect(check({ audience: { userType: "internal" }, spec }, "offline.audience.organization")).toMatchObject({
      status: "fail",
      diagnosis: "internal_without_organization",
    });
    const withOrg = {
      project: { mode: "create", id: "p-123456", orgId: "1", deletionProtection: true },
    } as unknown as ConnectionSpec;
    expect(check({ audience: { userType: "internal" }, spec: withOrg }, "offline.audience.organization").status).toBe(
      "pass",
    );
  });
});

describe("redirect URI near misses against the client file", () => {
  it("names the registered URI and what differs", () => {
    expect(
      nearMiss("https://mydb.flectra.com/google_gmail/confirm", ["https://mydb.flectra.com/google_gmail/confirm/"]),
    ).toBe(
      "; the client file registers https://mydb.flectra.com/google_gmail/confirm/: the registered URI has a trailing slash",
    );
    expect(nearMiss("https://a.example.com/cb", undefined)).toBe("");
    expect(nearMiss("https://a.example.com/cb", [])).toBe("");
  });
});
