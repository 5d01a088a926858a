// The Pulumi runtime adapter (infra/pulumiRuntime.ts) reaches exports Pulumi's declarations leave out: these tests
// fail when a Pulumi release moves or drops one of them.
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { configSecretTest, mockMonitor, waitForRegistrations } from "../../infra/pulumiRuntime";

describe("the Pulumi runtime adapter", () => {
  it("tells secret config keys from plain ones (runtime.isConfigSecret)", () => {
    pulumi.runtime.setAllConfig({ "adapter:plain": "a", "adapter:secret": "b" }, ["adapter:secret"]);
    const isSecret = configSecretTest();
    expect(typeof isSecret).toBe("function");
    expect(isSecret?.("adapter:secret")).toBe(true);
    expect(isSecret?.("adapter:plain")).toBe(false);
  });

  it("finds the mock monitor setMocks installs, with its URN rule and registration calls", async () => {
    await pulumi.runtime.setMocks(
      { newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }), call: (args) => args.inputs },
      "adapter-project",
      "adapter-stack",
      false,
    );
    const monitor = mockMonitor();
    expect(monitor).toBeDefined();
    expect(monitor?.newUrn("", "test:index:Thing", "one")).toMatch(
      /^urn:pulumi:adapter-stack::adapter-project::test:index:Thing::one$/,
    );
  });

  it("waits for registrations in flight (runtime.waitForRPCs)", async () => {
    await expect(waitForRegistrations()).resolves.toBeUndefined();
  });
});
