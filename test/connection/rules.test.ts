import { describe, expect, it } from "vitest";
import { Problems } from "../../common/readers";
import {
  checkDomain,
  checkIamMember,
  checkRedirectUri,
  checkServiceAccount,
  hostCovered,
  hostsNeedingAuthorization,
  inferRegistrableDomain,
} from "../../connection/rules";

const run = (f: (p: Problems) => void) => {
  const p = new Problems();
  f(p);
  return p.errors.map((e) => e.message);
};

describe("rules", () => {
  it("accepts loopback redirects on Desktop clients and https on Web clients", () => {
    expect(run((p) => checkRedirectUri("http://127.0.0.1:8765/", "desktop", "f", p))).toEqual([]);
    expect(run((p) => checkRedirectUri("https://mail.acme.com/cb", "web", "f", p))).toEqual([]);
    expect(run((p) => checkRedirectUri("urn:ietf:wg:oauth:2.0:oob", "desktop", "f", p))[0]).toMatch(
      /^f: the out-of-band \(OOB\) flow is blocked/,
    );
  });

  it("checks IAM principals, service accounts and domains", () => {
    expect(run((p) => checkIamMember("domain:acme.com", "f", p))).toEqual([]);
    expect(run((p) => checkIamMember("user:not-an-email", "f", p))).toEqual([
      "f: 'not-an-email' is not a valid email address; write user:name@example.com",
    ]);
    expect(run((p) => checkServiceAccount("app@acme.com", "f", p))[0]).toMatch(/is not a service account email/);
    expect(run((p) => checkDomain("https://acme.com/x", "f", p))).toEqual([
      "f: 'https://acme.com/x' is a URL, not a domain; write just the domain, e.g. 'acme.com'",
    ]);
    expect(run((p) => checkDomain("intranet.local", "f", p))[0]).toMatch(/does not end in a public top-level domain/);
  });

  it("infers registrable domains (without the public suffix list) and coverage", () => {
    expect(inferRegistrableDomain("mydb.flectra.com")).toBe("flectra.com");
    expect(inferRegistrableDomain("erp.acme.co.uk")).toBe("acme.co.uk");
    expect(hostCovered("a.b.acme.com", ["acme.com"])).toBe(true);
    expect(hostCovered("notacme.com", ["acme.com"])).toBe(false);
    expect(
      hostsNeedingAuthorization({
        branding: {
          appName: "a",
          supportEmail: "a@b.co",
          developerContacts: [],
          authorizedDomains: [],
          homepageUrl: "https://www.acme.com/",
        },
        clients: [
          { name: "d", type: "desktop", redirectUris: ["http://localhost:1/"], javascriptOrigins: [] },
          {
            name: "w",
            type: "web",
            redirectUris: ["http://localhost:3000/cb", "https://x.acme.com/cb"],
            javascriptOrigins: [],
          },
        ],
      }),
    ).toEqual(["www.acme.com", "x.acme.com"]);
  });
});
