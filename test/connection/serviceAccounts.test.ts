import { describe, expect, it } from "vitest";
import { InputErrors } from "../../common/errors";
import { parseConnectionSpec, parseStackConfig } from "../../connection/parse";

const G = "https://www.googleapis.com/auth/";
const dwdOnly = (sa: Record<string, unknown>): Record<string, unknown> => ({
  project: { id: "acme-gmail-prod", orgId: "123456789012" },
  branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
  organizationDomain: "acme.com",
  serviceAccounts: [sa],
});
const relay = {
  accountId: "gmail-relay",
  scopes: [`${G}gmail.send`, `${G}gmail.readonly`],
  mailboxes: ["billing@acme.com", "Support@acme.com"],
};

function problems(values: Record<string, unknown>): string[] {
  try {
    parseStackConfig(values);
  } catch (e) {
    expect(e).toBeInstanceOf(InputErrors);
    return (e as InputErrors).errors.map((x) => x.message);
  }
  throw new Error("expected the config to be refused");
}

describe("serviceAccounts in stack config", () => {
  it("a connection of one service account needs no OAuth client and signs keyless by default", () => {
    const spec = parseStackConfig(dwdOnly(relay));
    expect(spec.clients).toEqual([]);
    expect(spec.serviceAccounts).toEqual([
      {
        name: "gmail-relay",
        accountId: "gmail-relay",
        scopes: [`${G}gmail.send`, `${G}gmail.readonly`],
        mailboxes: ["billing@acme.com", "support@acme.com"],
        signing: "keyless",
      },
    ]);
  });

  it("names every bad field at once", () => {
    const found = problems(
      dwdOnly({
        accountId: "Gmail_Relay",
        scopes: ["gmail.sendd", "openid"],
        mailboxes: ["ana@gmail.com", "not-an-address", "ops@googlemail.com"],
        signing: "p12",
        uniqueId: "12345",
        colour: "blue",
      }),
    );
    const at = (k: string) => found.filter((m) => m.startsWith(`gmail-oauth:serviceAccounts[0].${k}`));
    expect(at("accountId")[0]).toMatch(/'Gmail_Relay' is not a service account ID/);
    expect(at("scopes[0]")[0]).toMatch(/not a known Gmail or identity scope/);
    expect(at("scopes[1]")[0]).toMatch(/'openid' is not a Gmail scope/);
    expect(at("mailboxes[0]")[0]).toMatch(/consumer Google account/);
    expect(at("mailboxes[1]")[0]).toMatch(/not an email address/);
    expect(at("mailboxes[2]")[0]).toMatch(/consumer Google account/);
    expect(at("signing")[0]).toMatch(/'p12' is not allowed.*keyless, key/);
    expect(at("uniqueId")[0]).toMatch(/21-digit/);
    expect(at("colour")[0]).toMatch(/unknown key/);
  });

  it("requires at least one mailbox to prove and at least one scope", () => {
    const found = problems(dwdOnly({ accountId: "gmail-relay", scopes: [], mailboxes: [] }));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gmail-oauth:serviceAccounts\[0\]\.scopes: is empty/),
        expect.stringMatching(/^gmail-oauth:serviceAccounts\[0\]\.mailboxes: is empty/),
      ]),
    );
    expect(problems(dwdOnly({ accountId: "gmail-relay", scopes: [`${G}gmail.send`] }))).toEqual([
      expect.stringMatching(/^gmail-oauth:serviceAccounts\[0\]\.mailboxes: is required/),
    ]);
  });

  it("refuses duplicate mailboxes and duplicate account IDs", () => {
    const values = dwdOnly(relay);
    values.serviceAccounts = [{ ...relay, mailboxes: ["a@acme.com", "A@acme.com"] }];
    expect(problems(values)).toEqual([expect.stringMatching(/serviceAccounts\[0\]\.mailboxes\[1\]: duplicates/)]);
    values.serviceAccounts = [relay, relay];
    expect(problems(values)).toEqual([
      expect.stringMatching(/^gmail-oauth:serviceAccounts\[1\]: duplicates gmail-oauth:serviceAccounts\[0\]/),
    ]);
  });
});

describe("serviceAccounts in a spec file", () => {
  it("round-trips with the unique ID the program filled in", () => {
    const spec = parseStackConfig(dwdOnly({ ...relay, signing: "key" }));
    const withId = {
      ...spec,
      serviceAccounts: [{ ...spec.serviceAccounts![0]!, uniqueId: "112233445566778899001" }],
    };
    const back = parseConnectionSpec({ connectionSpec: JSON.stringify(withId) }, "stack.json");
    expect(back.serviceAccounts?.[0]).toMatchObject({ uniqueId: "112233445566778899001", signing: "key" });
  });

  it("names the spec path of a bad mailbox", () => {
    const spec = parseStackConfig(dwdOnly(relay));
    const bad = { ...spec, serviceAccounts: [{ ...spec.serviceAccounts![0]!, mailboxes: ["x@gmail.com"] }] };
    expect(() => parseConnectionSpec({ connectionSpec: bad }, "stack.json")).toThrow(
      /stack\.json:connectionSpec\.serviceAccounts\[0\]\.mailboxes\[0\]: 'x@gmail\.com' is a consumer Google account/,
    );
  });
});
