// The service-account rules of the policy pack: keyless only, delegated scopes no wider than allowed, no full
// mailbox unless allowed; and their Pulumi wrapper reporting on the GmailConnection component.
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../connection/parse";
import { checkServiceAccounts, DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG, formatViolation } from "../../policy/rules";

const G = "https://www.googleapis.com/auth/";
const spec = (sa: Record<string, unknown>) =>
  parseStackConfig({
    project: { id: "acme-gmail-prod", orgId: "123456789012" },
    branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
    serviceAccounts: [{ accountId: "gmail-relay", mailboxes: ["billing@acme.com"], ...sa }],
  });

describe("checkServiceAccounts", () => {
  it("passes a keyless account with a narrow scope", () => {
    expect(checkServiceAccounts(spec({ scopes: [`${G}gmail.send`] }), DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG)).toEqual({
      violations: [],
    });
  });

  it("refuses a key, the full mailbox and a scope off the allow-list, naming each field", () => {
    const outcome = checkServiceAccounts(
      spec({ scopes: ["https://mail.google.com/", `${G}gmail.settings.sharing`], signing: "key" }),
      { ...DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG, allowedScopes: [`${G}gmail.send`] },
    );
    expect(outcome.violations.map(formatViolation)).toEqual([
      expect.stringMatching(/^serviceAccounts\[0\]\.signing: 'key' downloads a service account key/),
      expect.stringMatching(
        /^serviceAccounts\[0\]\.scopes\[0\]: 'https:\/\/mail\.google\.com\/' would let gmail-relay/,
      ),
      expect.stringMatching(/^serviceAccounts\[0\]\.scopes\[1\]: .* is wider than the scopes this policy allows/),
    ]);
  });

  it("allows the full mailbox and keys when configured to", () => {
    const outcome = checkServiceAccounts(spec({ scopes: ["https://mail.google.com/"], signing: "key" }), {
      ...DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG,
      keylessOnly: false,
      allowFullMailbox: true,
    });
    expect(outcome.violations).toEqual([]);
  });

  it("does not apply to a connection without service accounts", () => {
    const plain = parseStackConfig({
      project: { id: "acme-gmail-prod", orgId: "123456789012" },
      branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
      audience: { testUsers: ["ana@acme.com"] },
      preset: "flectra",
      instanceUrl: "https://mydb.flectra.com",
    });
    expect(checkServiceAccounts(plain, DEFAULT_SERVICE_ACCOUNT_POLICY_CONFIG).notApplicable).toMatch(
      /no service account/,
    );
  });
});
