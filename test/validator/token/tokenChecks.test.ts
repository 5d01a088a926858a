import { DEFAULT_SCOPE as MAIL } from "../../../google/scopes";
import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets } from "../../../common/redact";
import { googleEndpoints } from "../../../google/endpoints";
import {
  accessTokenChecks,
  accountCheck,
  audienceCheck,
  gmailConnection,
  rankInvalidGrantCauses,
  refreshTokenExpiry,
  refreshTokenPresent,
  scopeCoverage,
  tokenErrorResult,
  type TokenCheckContext,
} from "../../../validator/token/tokenChecks";
import { cannedServer, type Reply } from "./cannedServer";

const CLIENT = "123-abc.apps.googleusercontent.com";
const SEND = "https://www.googleapis.com/auth/gmail.send";
const READ = "https://www.googleapis.com/auth/gmail.readonly";

function ctx(over: Partial<TokenCheckContext> = {}): TokenCheckContext {
  return {
    endpoints: googleEndpoints("http://127.0.0.1:9"),
    deadline: Date.now() + 5000,
    client: { clientId: CLIENT, clientSecret: "GOCSPX-unit-test-secret" },
    requestedScopes: [MAIL],
    project: "my-proj",
    ...over,
  };
}

afterEach(() => forgetSecrets());

describe("refreshTokenPresent", () => {
  it("fails refresh_token_missing without one", () => {
    expect(refreshTokenPresent(ctx(), { accessToken: "a" })).toMatchObject({
      status: "fail",
      diagnosis: "refresh_token_missing",
    });
    expect(refreshTokenPresent(ctx(), { accessToken: "a", refreshToken: "r" }).status).toBe("pass");
  });
});

describe("scopeCoverage", () => {
  it("names the scopes granular consent left out", () => {
    const r = scopeCoverage(ctx({ requestedScopes: [READ, SEND] }), `${READ} openid`, "the token response");
    expect(r).toMatchObject({ status: "fail", diagnosis: "scope_not_granted" });
    expect(r.detail).toContain(`Not granted: ${SEND}`);
  });

  it("passes when the granted set covers the request, aliases included", () => {
    expect(
      scopeCoverage(
        ctx({ requestedScopes: [MAIL, "email"] }),
        `${MAIL} https://www.googleapis.com/auth/userinfo.email`,
        "x",
      ).status,
    ).toBe("pass");
  });

  it("is inconclusive when Google did not say", () => {
    expect(scopeCoverage(ctx(), undefined, "the refresh answer").status).toBe("inconclusive");
  });
});

describe("refreshTokenExpiry (inferred publishing status)", () => {
  it("warns of the 7-day Testing expiry, marked inferred", () => {
    const r = refreshTokenExpiry(
      ctx({ audience: { userType: "external", publishingStatus: "testing" } }),
      604799,
      "exchange",
    );
    expect(r).toMatchObject({ status: "warn", diagnosis: "testing_refresh_token_expiry", inferred: true });
    expect(r.detail).toContain("refresh_token_expires_in=604799 (7 days)");
  });

  it("fails a declared production app that still gets 7-day tokens", () => {
    expect(refreshTokenExpiry(ctx({ audience: { publishingStatus: "production" } }), 604799, "exchange")).toMatchObject(
      { status: "fail", diagnosis: "publishing_status_mismatch", inferred: true },
    );
    expect(refreshTokenExpiry(ctx({ audience: { userType: "internal" } }), 604799, "exchange")).toMatchObject({
      status: "fail",
      diagnosis: "publishing_status_mismatch",
    });
  });

  it("flags a declared Testing app that got a token without expiry", () => {
    expect(
      refreshTokenExpiry(
        ctx({ audience: { userType: "external", publishingStatus: "testing" } }),
        undefined,
        "exchange",
      ),
    ).toMatchObject({ status: "warn", diagnosis: "publishing_status_mismatch", inferred: true });
  });

  it("passes a production token without expiry, saying it proves nothing", () => {
    const r = refreshTokenExpiry(ctx({ audience: { publishingStatus: "production" } }), undefined, "exchange");
    expect(r).toMatchObject({ status: "pass", inferred: true });
    expect(r.detail).toMatch(/does not prove/);
  });

  it("reads a 180-day value as time-based access, and skips when a refresh answer says nothing", () => {
    expect(refreshTokenExpiry(ctx(), 15551999, "exchange")).toMatchObject({
      status: "warn",
      title: "The refresh token is time-limited",
      inferred: true,
    });
    expect(refreshTokenExpiry(ctx({ audience: { publishingStatus: "testing" } }), undefined, "refresh").status).toBe(
      "skip",
    );
  });
});

describe("audienceCheck and accountCheck", () => {
  it("compares tokeninfo aud with the client", () => {
    expect(audienceCheck(ctx(), { kind: "ok", info: { aud: CLIENT } }).status).toBe("pass");
    expect(audienceCheck(ctx(), { kind: "ok", info: { aud: "999-other.apps.googleusercontent.com" } })).toMatchObject({
      status: "fail",
      diagnosis: "token_audience_mismatch",
    });
    expect(audienceCheck(ctx(), { kind: "inconclusive", reason: "tokeninfo: HTTP 503" })).toMatchObject({
      status: "inconclusive",
      detail: "tokeninfo: HTTP 503",
    });
  });

  it("compares the connected account with --account", () => {
    expect(
      accountCheck(ctx({ account: "ana@example.com" }), { email: "Ana@Example.com", source: "tokeninfo email" }).status,
    ).toBe("pass");
    expect(
      accountCheck(ctx({ account: "ana@gmail.com" }), { email: "ana@googlemail.com", source: "Gmail profile" }).status,
    ).toBe("pass");
    expect(
      accountCheck(ctx({ account: "ana@example.com" }), { email: "bob@example.com", source: "tokeninfo email" }),
    ).toMatchObject({ status: "fail", diagnosis: "wrong_account" });
    expect(accountCheck(ctx({ account: "ana@example.com" }), {}).status).toBe("inconclusive");
    expect(accountCheck(ctx(), { email: "bob@example.com", source: "x" }).status).toBe("skip");
  });
});

describe("refresh failures", () => {
  it("ranks invalid_grant causes by the declared audience", () => {
    expect(rankInvalidGrantCauses({ userType: "external", publishingStatus: "testing" })[0]).toMatch(
      /Testing refresh tokens expire 7 days/,
    );
    const prod = rankInvalidGrantCauses({ publishingStatus: "production" });
    expect(prod[0]).toMatch(/revoked/);
    expect(prod[prod.length - 1]).toMatch(/while the app was still in Testing/);
    expect(rankInvalidGrantCauses({ userType: "internal" }).join(" ")).not.toMatch(/Testing/);
    expect(rankInvalidGrantCauses(undefined).join(" ")).toMatch(/password.*100 refresh tokens.*6 months/);
  });

  it("turns Google's refusals into catalogue results", () => {
    const invalid = tokenErrorResult(
      ctx({ audience: { publishingStatus: "testing" } }),
      "token.refresh",
      "Refresh",
      { status: 400, error: "invalid_grant", description: "Token has been expired or revoked." },
      "refresh",
    );
    expect(invalid).toMatchObject({ status: "fail", diagnosis: "refresh_token_invalid" });
    expect(invalid.detail).toMatch(/1\. the app is in Testing/);
    expect(
      tokenErrorResult(
        ctx(),
        "t",
        "T",
        { status: 401, error: "unauthorized_client", description: "Unauthorized" },
        "refresh",
      ).diagnosis,
    ).toBe("refresh_token_wrong_client");
    expect(tokenErrorResult(ctx(), "t", "T", { status: 400, error: "brand_new_error" }, "refresh")).toMatchObject({
      status: "fail",
      detail: "Google answered HTTP 400 brand_new_error.",
    });
  });
});

describe("gmailConnection", () => {
  async function withGmail(reply: Reply) {
    const srv = await cannedServer(() => reply);
    return { srv, c: ctx({ endpoints: googleEndpoints(srv.origin) }) };
  }

  it("reads the profile with a read scope", async () => {
    const { srv, c } = await withGmail({
      status: 200,
      json: { emailAddress: "ana@example.com", messagesTotal: 12, threadsTotal: 3, historyId: "1" },
    });
    const r = await gmailConnection(c, "ya29.unit-test-access-token", [MAIL]);
    expect(r.email).toBe("ana@example.com");
    expect(r.result).toMatchObject({ status: "pass" });
    expect(srv.seen[0]).toMatchObject({ method: "GET", path: "/gmail/v1/users/me/profile" });
    expect(srv.seen[0]!.headers.authorization).toBe("Bearer ya29.unit-test-access-token");
    await srv.close();
  });

  it("fails gmail_api_disabled with Google's activation URL first", async () => {
    const url = "https://console.developers.google.com/apis/api/gmail.googleapis.com/overview?project=777";
    const { srv, c } = await withGmail({
      status: 403,
      json: {
        error: {
          code: 403,
          message: `Gmail API has not been used in project 777 before or it is disabled. Enable it by visiting ${url} then retry.`,
          errors: [{ reason: "accessNotConfigured" }],
          status: "PERMISSION_DENIED",
        },
      },
    });
    const r = await gmailConnection(c, "ya29.x-access-token", [SEND]);
    expect(r.result).toMatchObject({ status: "fail", diagnosis: "gmail_api_disabled" });
    expect(r.result.links?.[0]).toBe(url);
    await srv.close();
  });

  it("says what a send-only token proves and what it cannot", async () => {
    const { srv, c } = await withGmail({
      status: 403,
      json: {
        error: {
          code: 403,
          message: "Request had insufficient authentication scopes.",
          errors: [{ reason: "insufficientPermissions" }],
        },
      },
    });
    const r = await gmailConnection(c, "ya29.x-access-token", [SEND]);
    expect(r.result).toMatchObject({ status: "pass", inferred: true });
    expect(r.result.detail).toMatch(/Not proved: that the mailbox exists and can send/);
    await srv.close();
  });

  it("fails mail_service_not_enabled for an account without Gmail", async () => {
    const { srv, c } = await withGmail({
      status: 400,
      json: {
        error: {
          code: 400,
          message: "Mail service not enabled",
          errors: [{ reason: "failedPrecondition" }],
          status: "FAILED_PRECONDITION",
        },
      },
    });
    expect((await gmailConnection(c, "ya29.x-access-token", [READ])).result).toMatchObject({
      status: "fail",
      diagnosis: "mail_service_not_enabled",
    });
    await srv.close();
  });

  it("is inconclusive on a 5xx and when Gmail cannot be reached", async () => {
    const { srv, c } = await withGmail({ status: 503, json: { error: { code: 503, message: "backend" } } });
    expect(
      (await gmailConnection({ ...c, deadline: Date.now() + 2000 }, "ya29.x-access-token", [READ])).result.status,
    ).toBe("inconclusive");
    await srv.close();
    expect(
      (await gmailConnection(ctx({ endpoints: googleEndpoints(srv.origin) }), "ya29.x-access-token", [READ])).result
        .status,
    ).toBe("inconclusive");
  });

  it("skips when no Gmail scope was granted", async () => {
    expect((await gmailConnection(ctx(), "t", ["openid"])).result.status).toBe("skip");
  });
});

describe("accessTokenChecks", () => {
  it("runs audience, scopes, expiry, Gmail and account in order, taking the account from tokeninfo", async () => {
    const srv = await cannedServer((req) => {
      if (req.path.startsWith("/tokeninfo"))
        return {
          status: 200,
          json: { aud: CLIENT, azp: CLIENT, scope: MAIL, email: "ana@example.com", expires_in: "3500" },
        };
      return { status: 200, json: { emailAddress: "ana@example.com", messagesTotal: 1 } };
    });
    const results = await accessTokenChecks(
      ctx({
        endpoints: googleEndpoints(srv.origin),
        account: "ana@example.com",
        audience: { publishingStatus: "production" },
      }),
      { accessToken: "ya29.check-all-token", scope: MAIL },
      "exchange",
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ["token.audience", "pass"],
      ["token.scopes", "pass"],
      ["token.expiry", "pass"],
      ["token.gmail", "pass"],
      ["token.account", "pass"],
    ]);
    expect(results[4]!.detail).toContain("tokeninfo email");
    await srv.close();
  });
});
