import { describe, expect, it } from "vitest";
import { PRESET_NAMES, PRESETS } from "../../connection/presets";
import type { ConnectionSpec } from "../../connection/types";
import {
  checkInternalUserType,
  checkProductionVerification,
  checkProjectDeletionPolicy,
  checkRedirectUris,
  checkScopes,
  checkSpecDeletionProtection,
  checkTestUserDomains,
  DEFAULT_DELETION_PROTECTION_CONFIG,
  DEFAULT_INTERNAL_USER_TYPE_CONFIG,
  DEFAULT_REDIRECT_URI_CONFIG,
  DEFAULT_SCOPE_CONFIG,
  DEFAULT_TEST_USER_DOMAIN_CONFIG,
  DEFAULT_VERIFICATION_CONFIG,
  formatViolation,
  PRESETS_NEEDING_FULL_MAILBOX,
  type RuleContext,
  type RuleOutcome,
} from "../../policy/rules";
import { compliantSpec, FULL_MAILBOX, GMAIL_SEND, specWith } from "./fixtures";

const PROD: RuleContext = { stack: "prod" };
const DEV: RuleContext = { stack: "dev-ana" };

/** The fields a rule flagged, in order: what each table row asserts. */
const fields = (o: RuleOutcome) => o.violations.map((v) => v.field);

interface Row<C> {
  name: string;
  spec: ConnectionSpec;
  config?: Partial<C>;
  ctx?: RuleContext;
  fields: string[];
  /** A fragment every violation message must contain (the value or the fix). */
  says?: string;
  notApplicable?: boolean;
}

function runTable<C>(
  rows: Row<C>[],
  defaults: C,
  rule: (spec: ConnectionSpec, config: C, ctx: RuleContext) => RuleOutcome,
) {
  it.each(rows.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const outcome = rule(row.spec, { ...defaults, ...row.config }, row.ctx ?? PROD);
    expect(fields(outcome)).toEqual(row.fields);
    expect(outcome.notApplicable !== undefined).toBe(row.notApplicable ?? false);
    for (const v of outcome.violations) {
      expect(v.problem.length).toBeGreaterThan(0);
      expect(v.fix.length).toBeGreaterThan(0);
      if (row.says) expect(formatViolation(v)).toContain(row.says);
    }
  });
}

describe("checkRedirectUris", () => {
  runTable(
    [
      { name: "https redirect and origin pass", spec: compliantSpec(), fields: [] },
      {
        name: "http on a public host is flagged with the https form",
        spec: specWith(
          (s) => void (s.clients[0]!.redirectUris = ["https://a.example.com/cb", "http://n8n.example.com/cb?x=1"]),
        ),
        fields: ["clients[0].redirectUris[1]"],
        says: "use https://n8n.example.com/cb?x=1",
      },
      {
        name: "localhost on a prod stack is flagged",
        spec: specWith((s) => void s.clients[0]!.redirectUris.push("http://localhost:5678/cb")),
        fields: ["clients[0].redirectUris[1]"],
        says: "stack 'prod' is not one",
      },
      {
        name: "https://localhost is still localhost",
        spec: specWith((s) => void (s.clients[0]!.redirectUris = ["https://127.0.0.1/cb"])),
        fields: ["clients[0].redirectUris[0]"],
      },
      {
        name: "localhost on a dev-* stack passes",
        spec: specWith((s) => void s.clients[0]!.redirectUris.push("http://localhost:5678/cb")),
        ctx: DEV,
        fields: [],
      },
      {
        name: "a custom devStacks list replaces the default",
        spec: specWith((s) => void s.clients[0]!.redirectUris.push("http://[::1]:8080/cb")),
        ctx: DEV,
        config: { devStacks: ["sandbox-*"] },
        fields: ["clients[0].redirectUris[1]"],
      },
      {
        name: "http origins are checked too",
        spec: specWith((s) => void (s.clients[0]!.javascriptOrigins = ["http://n8n.example.com"])),
        fields: ["clients[0].javascriptOrigins[0]"],
      },
      {
        name: "custom schemes and non-URLs are flagged",
        spec: specWith((s) => void (s.clients[0]!.redirectUris = ["com.example.app:/cb", "n8n.example.com/cb"])),
        fields: ["clients[0].redirectUris[0]", "clients[0].redirectUris[1]"],
      },
      {
        name: "a Desktop client on a prod stack is flagged on its type",
        spec: specWith(
          (s) => void s.clients.push({ name: "cli", type: "desktop", redirectUris: [], javascriptOrigins: [] }),
        ),
        fields: ["clients[1].type"],
        says: "allowDesktopClients",
      },
      {
        name: "allowDesktopClients lets it through",
        spec: specWith(
          (s) => void s.clients.push({ name: "cli", type: "desktop", redirectUris: [], javascriptOrigins: [] }),
        ),
        config: { allowDesktopClients: true },
        fields: [],
      },
    ],
    DEFAULT_REDIRECT_URI_CONFIG,
    checkRedirectUris,
  );
});

describe("checkScopes", () => {
  runTable(
    [
      { name: "gmail.send with sign-in scopes passes", spec: compliantSpec(), fields: [] },
      {
        name: "the full mailbox for a generic client is flagged, suggesting gmail.send",
        spec: specWith((s) => {
          s.dataAccess.scopes = ["openid", FULL_MAILBOX];
          s.clients[0]!.preset = "generic";
        }),
        fields: ["dataAccess.scopes[1]"],
        says: `request ${GMAIL_SEND} instead`,
      },
      {
        name: "a client without a preset counts as generic",
        spec: specWith((s) => {
          s.dataAccess.scopes = [FULL_MAILBOX];
          delete s.clients[0]!.preset;
        }),
        fields: ["dataAccess.scopes[0]"],
        says: "clients[0] (no preset)",
      },
      {
        name: "n8n's own credential requests the full mailbox, so it may have it",
        spec: specWith((s) => void (s.dataAccess.scopes = [FULL_MAILBOX])),
        fields: [],
      },
      {
        name: "the full mailbox is fine when an odoo client needs SMTP/IMAP",
        spec: specWith((s) => {
          s.dataAccess.scopes = [FULL_MAILBOX];
          s.clients.push({
            name: "odoo",
            type: "web",
            preset: "odoo",
            redirectUris: ["https://odoo.example.com/cb"],
            javascriptOrigins: [],
          });
        }),
        fields: [],
      },
      {
        name: "fullMailboxPresets is configurable",
        spec: specWith((s) => void (s.dataAccess.scopes = [FULL_MAILBOX])),
        config: { fullMailboxPresets: ["odoo"] },
        fields: ["dataAccess.scopes[0]"],
        says: "clients[0] (preset n8n)",
      },
      {
        name: "leastPrivilege can be switched off",
        spec: specWith((s) => {
          s.dataAccess.scopes = [FULL_MAILBOX];
          s.clients[0]!.preset = "generic";
        }),
        config: { leastPrivilege: false },
        fields: [],
      },
      {
        name: "a scope the kit does not know is off the default allow-list",
        spec: specWith((s) => void s.dataAccess.scopes.push("https://www.googleapis.com/auth/drive")),
        fields: ["dataAccess.scopes[3]"],
        says: "allowedScopes",
      },
      {
        name: "a narrow allow-list flags the rest; aliases match their URL",
        spec: specWith(
          (s) => void (s.dataAccess.scopes = ["email", "https://www.googleapis.com/auth/gmail.modify", GMAIL_SEND]),
        ),
        config: { allowedScopes: [GMAIL_SEND, "https://www.googleapis.com/auth/userinfo.email"] },
        fields: ["dataAccess.scopes[1]"],
        says: "gmail.modify",
      },
    ],
    DEFAULT_SCOPE_CONFIG,
    (spec, config) => checkScopes(spec, config),
  );
});

describe("PRESETS_NEEDING_FULL_MAILBOX", () => {
  it("holds exactly the presets whose fixed scopes include the full mailbox, never generic", () => {
    const expected = PRESET_NAMES.filter((n) => n !== "generic" && PRESETS[n].scopes.includes(FULL_MAILBOX));
    expect(PRESETS_NEEDING_FULL_MAILBOX).toEqual(expected);
    expect(PRESETS_NEEDING_FULL_MAILBOX).toEqual(expect.arrayContaining(["flectra", "odoo"]));
    expect(DEFAULT_SCOPE_CONFIG.fullMailboxPresets).toBe(PRESETS_NEEDING_FULL_MAILBOX);
  });
});

describe("checkInternalUserType", () => {
  runTable(
    [
      { name: "an org project with Internal passes", spec: compliantSpec(), fields: [] },
      {
        name: "an org project with External is flagged",
        spec: specWith((s) => void (s.audience.userType = "external")),
        fields: ["audience.userType"],
        says: "project.orgId=123456789012",
      },
      {
        name: "a folder also means an organization",
        spec: specWith((s) => {
          s.audience.userType = "external";
          delete s.project.orgId;
          s.project.folderId = "987";
        }),
        fields: ["audience.userType"],
        says: "project.folderId=987",
      },
      {
        name: "no organization: Internal is not available, so the rule does not apply",
        spec: specWith((s) => {
          s.audience.userType = "external";
          delete s.project.orgId;
        }),
        fields: [],
        notApplicable: true,
      },
      {
        name: "exempt projects match by pattern",
        spec: specWith((s) => void (s.audience.userType = "external")),
        config: { exemptProjects: ["mail-prod-*"] },
        fields: [],
        notApplicable: true,
      },
    ],
    DEFAULT_INTERNAL_USER_TYPE_CONFIG,
    (spec, config) => checkInternalUserType(spec, config),
  );
});

describe("checkTestUserDomains", () => {
  runTable(
    [
      { name: "test users from the organization's domain pass", spec: compliantSpec(), fields: [] },
      {
        name: "an outside account is flagged (domain compared case-insensitively)",
        spec: specWith((s) => void (s.audience.testUsers = ["bo@EXAMPLE.com", "eve@gmail.com"])),
        fields: ["audience.testUsers[1]"],
        says: "'eve@gmail.com' is not from an allowed domain (example.com)",
      },
      {
        name: "configured domains replace the organization's, with * patterns",
        spec: specWith((s) => void (s.audience.testUsers = ["ana@example.com", "qa@eu.partner.io"])),
        config: { allowedDomains: ["*.partner.io"] },
        fields: ["audience.testUsers[0]"],
      },
      {
        name: "a non-address is flagged",
        spec: specWith((s) => void (s.audience.testUsers = ["ana"])),
        fields: ["audience.testUsers[0]"],
        says: "not an email address",
      },
      {
        name: "no domain known anywhere: not applicable, not a pass",
        spec: specWith((s) => void delete s.organizationDomain),
        fields: [],
        notApplicable: true,
      },
      {
        name: "no test users: not applicable",
        spec: specWith((s) => void (s.audience.testUsers = [])),
        fields: [],
        notApplicable: true,
      },
    ],
    DEFAULT_TEST_USER_DOMAIN_CONFIG,
    (spec, config) => checkTestUserDomains(spec, config),
  );
});

describe("checkProductionVerification", () => {
  const externalProd = (verification: "not-submitted" | "in-progress" | "verified", scopes = [FULL_MAILBOX]) =>
    specWith((s) => {
      s.audience.userType = "external";
      s.audience.verification = verification;
      s.dataAccess.scopes = scopes;
    });
  runTable(
    [
      {
        name: "External, production, restricted scope, not submitted: flagged with the console link",
        spec: externalProd("not-submitted"),
        fields: ["audience.verification"],
        says: "https://console.cloud.google.com/auth/verification?project=mail-prod-1",
      },
      {
        name: "a sensitive scope (gmail.send) also needs it",
        spec: externalProd("not-submitted", [GMAIL_SEND]),
        fields: ["audience.verification"],
      },
      { name: "in-progress is a declared status", spec: externalProd("in-progress"), fields: [] },
      {
        name: "acceptedStatuses can demand verified",
        spec: externalProd("in-progress"),
        config: { acceptedStatuses: ["verified"] },
        fields: ["audience.verification"],
        says: "to verified",
      },
      {
        name: "identity-only scopes need no verification",
        spec: externalProd("not-submitted", ["openid", "email"]),
        fields: [],
        notApplicable: true,
      },
      { name: "Internal apps need no verification", spec: compliantSpec(), fields: [], notApplicable: true },
      {
        name: "Testing is not production",
        spec: specWith((s) => {
          s.audience.userType = "external";
          s.audience.publishingStatus = "testing";
        }),
        fields: [],
        notApplicable: true,
      },
    ],
    DEFAULT_VERIFICATION_CONFIG,
    (spec, config) => checkProductionVerification(spec, config),
  );
});

describe("checkSpecDeletionProtection", () => {
  runTable(
    [
      { name: "protection on passes", spec: compliantSpec(), fields: [] },
      {
        name: "protection off is flagged",
        spec: specWith((s) => void (s.project.deletionProtection = false)),
        fields: ["project.deletionProtection"],
      },
      {
        name: "exempt stacks may turn it off",
        spec: specWith((s) => void (s.project.deletionProtection = false)),
        ctx: { stack: "ci-42" },
        config: { exemptStacks: ["ci-*"] },
        fields: [],
        notApplicable: true,
      },
      {
        name: "an adopted project is never deleted by the program",
        spec: specWith((s) => {
          s.project.mode = "adopt";
          s.project.deletionProtection = false;
        }),
        fields: [],
        notApplicable: true,
      },
    ],
    DEFAULT_DELETION_PROTECTION_CONFIG,
    checkSpecDeletionProtection,
  );
});

describe("checkProjectDeletionPolicy", () => {
  it.each([
    [undefined, []],
    ["PREVENT", []],
    ["DELETE", ["deletionPolicy"]],
    ["ABANDON", ["deletionPolicy"]],
  ] as const)("deletionPolicy %s → %j", (policy, expected) => {
    expect(fields(checkProjectDeletionPolicy(policy, DEFAULT_DELETION_PROTECTION_CONFIG, PROD))).toEqual(expected);
  });

  it("names the value and the fix, and honours exempt stacks", () => {
    const [v] = checkProjectDeletionPolicy("DELETE", DEFAULT_DELETION_PROTECTION_CONFIG, PROD).violations;
    expect(formatViolation(v!)).toBe(
      `deletionPolicy: is 'DELETE', so the project can be deleted by \`pulumi destroy\`; set deletionPolicy to "PREVENT" (project.deletionProtection: true in the connection spec), or add the stack to the policy's exemptStacks`,
    );
    const exempt = checkProjectDeletionPolicy("DELETE", { exemptStacks: ["prod"] }, PROD);
    expect(exempt.violations).toEqual([]);
    expect(exempt.notApplicable).toContain("exemptStacks");
  });
});
