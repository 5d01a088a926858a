import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  AuthErrorDecodeError,
  authErrorFromUrl,
  decodeAuthError,
  encodeAuthError,
  type AuthError,
} from "../../google/authError";

const mismatch: AuthError = {
  error: "redirect_uri_mismatch",
  message: "You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy.",
  helpUrl:
    "https://developers.google.com/identity/protocols/oauth2/web-server#authorization-errors-redirect-uri-mismatch",
  httpCode: 400,
  details: { redirect_uri: "https://mydb.flectra.com/google_gmail/confirm/", flowName: "GeneralOAuthFlow" },
};

describe("authError codec", () => {
  it("starts with field 1 as Google's payloads do (\\n + length + code)", () => {
    const bytes = Buffer.from(encodeAuthError({ error: "invalid_client", details: {} }), "base64url");
    expect(bytes.subarray(0, 16).toString("latin1")).toBe("\n\x0einvalid_client");
  });

  it("round-trips every field, with the message as a string or as a nested message", () => {
    expect(decodeAuthError(encodeAuthError(mismatch))).toEqual(mismatch);
    expect(decodeAuthError(encodeAuthError(mismatch, { nestedMessage: true }))).toEqual(mismatch);
  });

  it("accepts padded and standard base64 as users paste it", () => {
    const enc = encodeAuthError({ error: "access_denied", httpCode: 403, details: {} });
    const std = Buffer.from(enc, "base64url").toString("base64");
    expect(decodeAuthError(std).error).toBe("access_denied");
    expect(decodeAuthError(`${enc}\n`).httpCode).toBe(403);
  });

  it("reads it out of a full error URL", () => {
    const enc = encodeAuthError(mismatch);
    expect(authErrorFromUrl(`https://accounts.google.com/signin/oauth/error?authError=${enc}&client_id=x`)).toBe(enc);
    expect(authErrorFromUrl("https://accounts.google.com/signin/oauth/error?client_id=x")).toBeUndefined();
  });

  it("refuses a truncated blob with a typed error", () => {
    const enc = encodeAuthError(mismatch);
    expect(() => decodeAuthError(enc.slice(0, 30))).toThrow(AuthErrorDecodeError);
    expect(() => decodeAuthError("")).toThrow(AuthErrorDecodeError);
    expect(() => decodeAuthError("%%%")).toThrow(AuthErrorDecodeError);
  });

  it("round-trips any error (property)", () => {
    const text = fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s));
    fc.assert(
      fc.property(
        text,
        fc.option(text, { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/[\u0000-\u001f\u007f-\u009f]/.test(s)),
          fc.string({ maxLength: 20 }).filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s)),
        ),
        (error, message, httpCode, details) => {
          const e: AuthError = { error, message, helpUrl: undefined, httpCode, details };
          expect(decodeAuthError(encodeAuthError(e))).toEqual(e);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws anything but AuthErrorDecodeError on arbitrary input (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeAuthError(Buffer.from(bytes).toString("base64url"));
        } catch (e) {
          expect(e).toBeInstanceOf(AuthErrorDecodeError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
