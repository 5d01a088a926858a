// The sandbox's Pulumi engine: the real provision() under mocks whose hooks apply to the emulator.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputErrors } from "../../common/errors";
import { redact } from "../../common/redact";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { RESOURCE_TYPES, SandboxEngine } from "../../sandbox/mockEngine";
import { loadStack, pulumiConfig } from "../../sandbox/stackConfig";

const SECRET = "GOCSPX-engine-test-secret-value";

describe("SandboxEngine", () => {
  let emu: RunningEmulator;
  beforeEach(async () => (emu = await startEmulator()));
  afterEach(async () => emu.close());

  it("creates the project with a number and enables Gmail in the emulator, and records IAM", async () => {
    const stack = await loadStack(undefined, process.cwd());
    const engine = new SandboxEngine(emu.admin);
    const { outputs, steps } = await engine.up(pulumiConfig(stack).config);
    const project = emu.admin.state().projects.find((p) => p.id === "sandbox-gmail-demo");
    expect(project?.number).toMatch(/^\d{12}$/);
    expect(outputs.projectNumber).toBe(project?.number);
    expect(outputs.connectionSpec.project.number).toBe(project?.number);
    // The bundled stack's keyless service account: its IAM Credentials API and the app's token-creator grant.
    expect(project?.services).toEqual({
      "gmail.googleapis.com": "ENABLED",
      "iamcredentials.googleapis.com": "ENABLED",
    });
    // Registration order depends on when each Output resolves; the set of steps does not.
    expect(steps.map((s) => `${s.op} ${s.type}`).sort()).toEqual(
      [
        `create ${RESOURCE_TYPES.project}`,
        `create ${RESOURCE_TYPES.service}`,
        `create ${RESOURCE_TYPES.iamMember}`,
        `create ${RESOURCE_TYPES.serviceAccount}`,
        `create ${RESOURCE_TYPES.service}`,
        `create ${RESOURCE_TYPES.serviceAccountIam}`,
      ].sort(),
    );
    const sa = emu.admin.state().serviceAccounts[0];
    expect(sa).toMatchObject({
      email: "gmail-relay@sandbox-gmail-demo.iam.gserviceaccount.com",
      tokenCreators: ["serviceAccount:flectra-mail@sandbox-gmail-demo.iam.gserviceaccount.com"],
    });
    expect(outputs.connectionSpec.serviceAccounts?.[0]?.uniqueId).toBe(sa?.uniqueId);
    expect(engine.iam).toEqual([
      { on: "project sandbox-gmail-demo", role: "roles/oauthconfig.editor", member: "user:ana@example.com" },
      {
        on: "service account gmail-relay@sandbox-gmail-demo.iam.gserviceaccount.com",
        role: "roles/iam.serviceAccountTokenCreator",
        member: "serviceAccount:flectra-mail@sandbox-gmail-demo.iam.gserviceaccount.com",
      },
    ]);
    expect(outputs.consoleRunbook).toContain("### 5. Create OAuth client `flectra`");
    expect(outputs.clientSecretNames).toEqual({});
  });

  it("a second up with the client's ID and secret leaves the rest unchanged and stores the secret, never in its steps", async () => {
    const stack = await loadStack(undefined, process.cwd());
    const engine = new SandboxEngine(emu.admin);
    await engine.up(pulumiConfig(stack).config);
    const clientId = "111111111111-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com";
    const { config, secretKeys } = pulumiConfig(stack, [{ name: "flectra", clientId, secret: SECRET }]);
    const { outputs, steps } = await engine.up(config, secretKeys);
    expect(
      steps
        .filter((s) => s.op === "same")
        .map((s) => s.type)
        .sort(),
    ).toEqual(
      [
        RESOURCE_TYPES.project,
        RESOURCE_TYPES.service,
        RESOURCE_TYPES.iamMember,
        RESOURCE_TYPES.serviceAccount,
        RESOURCE_TYPES.service,
        RESOURCE_TYPES.serviceAccountIam,
      ].sort(),
    );
    expect(steps.filter((s) => s.op === "create").map((s) => s.type)).toEqual([
      RESOURCE_TYPES.service,
      RESOURCE_TYPES.secret,
      RESOURCE_TYPES.secretVersion,
      RESOURCE_TYPES.secretIam,
    ]);
    expect(outputs.clientSecretNames).toEqual({ flectra: "gmail-oauth-flectra" });
    expect(outputs.connectionSpec.clients[0]?.clientId).toBe(clientId);
    const payload = JSON.parse(engine.secretPayload("gmail-oauth-flectra") ?? "{}") as {
      web?: { client_id: string; client_secret: string };
    };
    expect(payload.web).toMatchObject({ client_id: clientId, client_secret: SECRET });
    expect(JSON.stringify(steps)).not.toContain(SECRET);
    expect(redact(`x ${engine.secretPayload("gmail-oauth-flectra")}`)).not.toContain(SECRET);
    expect(engine.iam.map((g) => g.on)).toContain("secret gmail-oauth-flectra");
  });

  it("adopt mode reads the project through getProject", async () => {
    const stack = await loadStack(undefined, process.cwd());
    emu.admin.addProject({ id: "sandbox-gmail-demo", number: "999888777666" });
    const adopt = { ...stack.values, project: { mode: "adopt", id: "sandbox-gmail-demo", orgId: "100000000001" } };
    const { outputs, steps } = await new SandboxEngine(emu.admin).up(pulumiConfig(stack, [], adopt).config);
    expect(outputs.projectNumber).toBe("999888777666");
    expect(steps[0]).toMatchObject({ op: "read", type: "gcp:organizations/getProject:getProject" });
  });

  it("throws the program's field-level errors for a bad config", async () => {
    const stack = await loadStack(undefined, process.cwd());
    const bad = pulumiConfig(stack, [], { ...stack.values, audience: { userType: "public" } }).config;
    await expect(new SandboxEngine(emu.admin).up(bad)).rejects.toBeInstanceOf(InputErrors);
  });
});
