// OAuth admins' resource names (issue 14 §3): derived from user data, so they must be injective, and every way the
// program runs in tests (the mocks harness, the sandbox engine) must refuse a duplicate URN as `pulumi up` does.
import * as gcp from "@pulumi/gcp";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { memberResourceName } from "../../infra/oauthAdmins";
import { SandboxEngine } from "../../sandbox/mockEngine";
import { loadStack, pulumiConfig } from "../../sandbox/stackConfig";
import { flectraConfig, installMocks, ofType, runProgram, settle, T } from "./harness";

// Both become `…-user-a-b-acme-com` under a slug alone.
const LOOKALIKES = ["user:a.b@acme.com", "user:a-b@acme.com"];

describe("OAuth admins' resource names", () => {
  it("two principals that slug alike get two grants under distinct names", async () => {
    const { resources } = await runProgram(flectraConfig({ oauthAdmins: LOOKALIKES }));
    const grants = ofType(resources, T.iamMember);
    expect(grants.map((g) => g.inputs.member)).toEqual(LOOKALIKES);
    expect(new Set(grants.map((g) => g.name)).size).toBe(2);
    expect(grants[0]!.name).toMatch(/^[a-z0-9-]+-user-a-b-acme-com-[0-9a-f]{8}$/);
  });

  it("distinct principals always get distinct names, and a principal always the same one", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        if (a !== b) expect(memberResourceName("admins", a)).not.toBe(memberResourceName("admins", b));
        expect(memberResourceName("admins", a)).toBe(memberResourceName("admins", a));
      }),
    );
  });
});

describe("a duplicate URN fails as in `pulumi up`", () => {
  it("the mocks harness refuses it with Pulumi's words", async () => {
    await installMocks({});
    const args = { project: "p", role: "roles/viewer", member: "user:ana@acme.com" };
    new gcp.projects.IAMMember("same", args);
    new gcp.projects.IAMMember("same", { ...args, member: "user:bo@acme.com" });
    await expect(settle()).rejects.toThrow(
      "Duplicate resource URN 'urn:pulumi:test::gmail-oauth::gcp:projects/iAMMember:IAMMember::same'; try giving it a unique name",
    );
  });

  describe("the sandbox engine", () => {
    let emu: RunningEmulator;
    beforeEach(async () => (emu = await startEmulator()));
    afterEach(async () => emu.close());

    it("applies two look-alike admins as two grants", async () => {
      const stack = await loadStack(undefined, process.cwd());
      const { config } = pulumiConfig(stack);
      const engine = new SandboxEngine(emu.admin);
      await engine.up({ ...config, "gmail-oauth:oauthAdmins": JSON.stringify(LOOKALIKES) });
      // Project grants only: the bundled stack's service account adds its own token-creator grant.
      expect(engine.iam.filter((g) => g.on.startsWith("project ")).map((g) => g.member)).toEqual(LOOKALIKES);
    });
  });
});
