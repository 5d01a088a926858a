// The spec builder (connection/config.ts): a plain object in, the ConnectionSpec out, with the same field-level
// errors as the same values in stack config.
import { describe, expect, test } from "vitest";
import { InputErrors } from "../../common/errors";
import { connectionSpec } from "../../connection/config";
import { parseStackConfig } from "../../connection/parse";

const flectra = {
  project: { id: "acme-gmail-test", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  audience: { testUsers: ["ana@acme.com"] },
  preset: "flectra" as const,
  instanceUrl: "https://mydb.flectra.com",
};

function errorsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof InputErrors) return e.errors.map((x) => x.message);
    throw e;
  }
  return [];
}

describe("connectionSpec()", () => {
  test("builds the spec stack config gives for the same values", () => {
    const spec = connectionSpec(flectra);
    expect(spec).toEqual(parseStackConfig(flectra));
    expect(spec.clients[0]!.redirectUris).toEqual(["https://mydb.flectra.com/google_gmail/confirm"]);
  });

  test("every wrong field at once, named as in stack config (or under another namespace)", () => {
    const bad = { ...flectra, project: { id: "Acme" }, instanceUrl: "http://mydb.flectra.com" };
    const errors = errorsOf(() => connectionSpec(bad));
    expect(errors).toEqual(errorsOf(() => parseStackConfig(bad)));
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors.some((e) => e.startsWith("gmail-oauth:project.id:"))).toBe(true);
    expect(errors.some((e) => e.startsWith("gmail-oauth:instanceUrl:"))).toBe(true);
    expect(errorsOf(() => connectionSpec(bad, { namespace: "mail" })).every((e) => e.startsWith("mail:"))).toBe(true);
  });
});
