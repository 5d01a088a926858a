import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { CONNECTION_TYPE, effectiveConfig, policies, PROJECT_TYPE } from "../../policy/policies";
import { compliantSpec, specWith } from "./fixtures";

class NotApplicable extends Error {}

/** Runs one policy the way @pulumi/policy's analyzer does: args in, violations reported through the callback. */
async function run(
  policy: ResourceValidationPolicy,
  type: string,
  props: Record<string, unknown>,
  opts: { stack?: string; config?: Record<string, unknown> } = {},
) {
  const reported: string[] = [];
  let notApplicable: string | undefined;
  const args = {
    type,
    props,
    urn: `urn:pulumi:${opts.stack ?? "prod"}::gmail::${type}::r`,
    name: "r",
    getConfig: () => opts.config ?? { enforcementLevel: "mandatory" },
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource;
  const fns = Array.isArray(validate) ? validate : [validate!];
  try {
    for (const fn of fns) await fn(args, (message: string) => void reported.push(message));
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
    notApplicable = e.message;
  }
  return { reported, notApplicable };
}

const byName = (name: string) => {
  const p = policies.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p as ResourceValidationPolicy;
};

describe("policies", () => {
  it("has one uniquely named, mandatory, configurable policy per rule", () => {
    expect(policies.map((p) => p.name)).toEqual([
      "gmail-redirect-uris-https",
      "gmail-scopes-allow-list",
      "gmail-internal-user-type",
      "gmail-test-user-domains",
      "gmail-production-verification",
      "gmail-project-deletion-protection",
      "gmail-service-accounts",
    ]);
    for (const p of policies) {
      expect(p.enforcementLevel).toBe("mandatory");
      expect(p.description.length).toBeGreaterThan(20);
      const props = p.configSchema?.properties ?? {};
      expect(Object.keys(props).length).toBeGreaterThan(0);
      // @pulumi/policy refuses to serve a pack whose schema declares enforcementLevel.
      expect(props).not.toHaveProperty("enforcementLevel");
      for (const schema of Object.values(props)) expect(schema).toHaveProperty("default");
    }
  });

  it("passes a compliant connection with no violation from any policy", async () => {
    for (const p of policies) {
      const { reported } = await run(p as ResourceValidationPolicy, CONNECTION_TYPE, { spec: compliantSpec() });
      expect(reported, p.name).toEqual([]);
    }
  });

  it("reports each violation as one `field: problem; fix` line", async () => {
    const spec = specWith(
      (s) => void (s.clients[0]!.redirectUris = ["http://localhost:5678/cb", "http://n8n.example.com/cb"]),
    );
    const { reported } = await run(byName("gmail-redirect-uris-https"), CONNECTION_TYPE, { spec });
    expect(reported).toHaveLength(2);
    expect(reported[0]).toMatch(
      /^clients\[0\]\.redirectUris\[0\]: localhost redirect .* stack 'prod' is not one; remove it/,
    );
    expect(reported[1]).toBe(
      "clients[0].redirectUris[1]: 'http://n8n.example.com/cb' is not https; use https://n8n.example.com/cb",
    );
  });

  it("takes the stack from the URN and the config from the stack's policy config", async () => {
    const spec = specWith((s) => void s.clients[0]!.redirectUris.push("http://localhost:5678/cb"));
    const policy = byName("gmail-redirect-uris-https");
    expect((await run(policy, CONNECTION_TYPE, { spec }, { stack: "dev" })).reported).toEqual([]);
    expect((await run(policy, CONNECTION_TYPE, { spec }, { stack: "staging" })).reported).toHaveLength(1);
    expect(
      (
        await run(
          policy,
          CONNECTION_TYPE,
          { spec },
          { stack: "staging", config: { enforcementLevel: "mandatory", devStacks: ["staging"] } },
        )
      ).reported,
    ).toEqual([]);
  });

  it("ignores resources it does not judge, without calling them not applicable", async () => {
    const r = await run(byName("gmail-scopes-allow-list"), "gcp:projects/service:Service", {
      service: "gmail.googleapis.com",
    });
    expect(r).toEqual({ reported: [], notApplicable: undefined });
  });

  it("checks the Project resource's deletionPolicy", async () => {
    const policy = byName("gmail-project-deletion-protection");
    expect((await run(policy, PROJECT_TYPE, { deletionPolicy: "PREVENT" })).reported).toEqual([]);
    expect((await run(policy, PROJECT_TYPE, {})).reported).toEqual([]);
    const { reported } = await run(policy, PROJECT_TYPE, { deletionPolicy: "DELETE" });
    expect(reported).toEqual([expect.stringMatching(/^deletionPolicy: is 'DELETE'/)]);
  });

  it("passes a rule's not-applicable reason to the framework", async () => {
    const spec = specWith((s) => void (s.audience.testUsers = []));
    const r = await run(byName("gmail-test-user-domains"), CONNECTION_TYPE, { spec });
    expect(r.reported).toEqual([]);
    expect(r.notApplicable).toBe("the spec lists no test users");
  });

  it("blocks, as inconclusive, a connection registered without a spec", async () => {
    for (const p of policies) {
      const { reported } = await run(p as ResourceValidationPolicy, CONNECTION_TYPE, {});
      expect(reported, p.name).toEqual([expect.stringMatching(/^spec: inconclusive: /)]);
    }
  });

  it("redacts secrets that reach a message", async () => {
    const secret = "GOCSPX-abcdefghijklmnop";
    const spec = specWith(
      (s) => void (s.clients[0]!.redirectUris = [`http://n8n.example.com/cb?client_secret=${secret}`]),
    );
    const { reported } = await run(byName("gmail-redirect-uris-https"), CONNECTION_TYPE, { spec });
    expect(reported).toHaveLength(1);
    expect(reported[0]).not.toContain(secret);
    expect(reported[0]).toContain("[REDACTED]");
  });
});

describe("effectiveConfig", () => {
  it("overrides the defaults key by key and ignores unknown keys and enforcementLevel", () => {
    const defaults = { devStacks: ["dev"], allowDesktopClients: false };
    expect(effectiveConfig(defaults, undefined)).toEqual(defaults);
    expect(effectiveConfig(defaults, { enforcementLevel: "advisory", allowDesktopClients: true, other: 1 })).toEqual({
      devStacks: ["dev"],
      allowDesktopClients: true,
    });
  });
});
