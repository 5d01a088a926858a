import { afterEach, describe, expect, it } from "vitest";
import { forgetSecrets, redact } from "../../../common/redact";
import { encodeAuthError } from "../../../google/authError";
import { parseCallbackParams, parsePastedRedirect } from "../../../validator/flow/callback";

const STATE = "s".repeat(32);
const CODE = "4/0AanRRrtest-code-value-123456";

afterEach(() => forgetSecrets());

describe("parseCallbackParams", () => {
  it("returns the code with the right state and registers it as a secret", () => {
    const r = parseCallbackParams(
      new URLSearchParams({ state: STATE, code: "opaque-code-abcdef", scope: "https://mail.google.com/" }),
      STATE,
    );
    expect(r).toEqual({ kind: "code", code: "opaque-code-abcdef", scope: "https://mail.google.com/", iss: undefined });
    expect(redact("got opaque-code-abcdef")).toBe("got [REDACTED]");
  });

  it("refuses a wrong or missing state, even for an error", () => {
    expect(parseCallbackParams(new URLSearchParams({ state: "other", code: CODE }), STATE).kind).toBe("wrong_state");
    expect(parseCallbackParams(new URLSearchParams({ code: CODE }), STATE).kind).toBe("wrong_state");
    expect(parseCallbackParams(new URLSearchParams({ error: "access_denied" }), STATE).kind).toBe("wrong_state");
  });

  it("reads error=access_denied as an error outcome", () => {
    expect(parseCallbackParams(new URLSearchParams({ state: STATE, error: "access_denied" }), STATE)).toEqual({
      kind: "error",
      error: "access_denied",
      description: undefined,
    });
  });

  it("is not a callback without code or error, or with an absurd code", () => {
    expect(parseCallbackParams(new URLSearchParams({ state: STATE }), STATE).kind).toBe("not_callback");
    expect(parseCallbackParams(new URLSearchParams({ state: STATE, code: "x".repeat(5000) }), STATE).kind).toBe(
      "not_callback",
    );
  });
});

describe("parsePastedRedirect", () => {
  it("accepts the full address or only its query", () => {
    const q = new URLSearchParams({ state: STATE, code: CODE }).toString();
    expect(parsePastedRedirect(`  http://127.0.0.1:8085/?${q}  `, STATE)).toMatchObject({ kind: "code", code: CODE });
    expect(parsePastedRedirect(`?${q}`, STATE)).toMatchObject({ kind: "code", code: CODE });
    expect(parsePastedRedirect(q, STATE)).toMatchObject({ kind: "code", code: CODE });
  });

  it("refuses a pasted address with another state and explains junk", () => {
    expect(parsePastedRedirect(`http://127.0.0.1:8085/?state=nope&code=${encodeURIComponent(CODE)}`, STATE).kind).toBe(
      "wrong_state",
    );
    const junk = parsePastedRedirect("hello", STATE);
    expect(junk.kind === "not_callback" && junk.reason).toMatch(/paste the whole address/);
  });
});

describe("parsePastedRedirect with Google's error page", () => {
  const page = (details: Record<string, string>) =>
    `https://accounts.google.com/signin/oauth/error?authError=${encodeAuthError({ error: "access_denied", httpCode: 403, message: "The app is currently being tested, and can only be accessed by developer-approved testers.", details })}&client_id=x`;

  it("reads the refusal when its request details carry this run's state", () => {
    expect(parsePastedRedirect(page({ state: STATE, flowName: "GeneralOAuthFlow" }), STATE)).toMatchObject({
      kind: "refused",
      authError: { error: "access_denied", httpCode: 403 },
    });
    // Older pages list no state: the refusal is still the person's answer to the URL they were given.
    expect(parsePastedRedirect(page({}), STATE).kind).toBe("refused");
  });

  it("refuses another run's error page like a wrong-state callback", () => {
    expect(parsePastedRedirect(page({ state: "another-run" }), STATE).kind).toBe("wrong_state");
  });

  it("says what to do with an error page whose authError is cut off", () => {
    const cut = parsePastedRedirect(page({ state: STATE }).replace(/(authError=.{30}).*$/, "$1"), STATE);
    expect(cut.kind === "not_callback" && cut.reason).toMatch(/authError could not be read .*gmail-oauth explain/);
  });
});
