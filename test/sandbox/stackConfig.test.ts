// The sandbox's stack file: Pulumi stack-config format, checked by the program's own reader.
import { describe, expect, it } from "vitest";
import { InputError, InputErrors } from "../../common/errors";
import { loadStack, parseStackFile, pulumiConfig, walkthroughTarget, withOrigin } from "../../sandbox/stackConfig";

const MINIMAL = `config:
  gmail-oauth:project: { id: demo-project-1, orgId: "1", billingAccount: 0A1B2C-3D4E5F-607182 }
  gmail-oauth:branding: { appName: Demo, supportEmail: it@example.com }
  gmail-oauth:audience: { testUsers: [a@example.com, b@example.com] }
  gcp:project: ignored-by-the-program
  preset: flectra
  instanceUrl: http://127.0.0.1:7073
`;

function errorOf(fn: () => unknown): InputError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputErrors) return [...e.errors];
    if (e instanceof InputError) return [e];
    throw e;
  }
  throw new Error("no error");
}

describe("parseStackFile", () => {
  it("reads the bundled stack: Flectra, External, Testing, two test users", async () => {
    const stack = await loadStack(undefined, process.cwd());
    expect(stack.source).toBe("sandbox/stack.example.yaml");
    const { spec } = stack.parsed;
    expect(spec.clients.map((c) => [c.preset, c.type, c.redirectUris])).toEqual([
      ["flectra", "web", ["http://127.0.0.1:7073/google_gmail/confirm"]],
    ]);
    expect(spec.audience).toMatchObject({
      userType: "external",
      publishingStatus: "testing",
      testUsers: ["ana@example.com", "mailbox@example.com"],
    });
    expect(walkthroughTarget(stack)).toMatchObject({
      mailbox: "mailbox@example.com",
      appRedirectUri: "http://127.0.0.1:7073/google_gmail/confirm",
      clientIndex: 0,
    });
  });

  it("takes bare keys as the program's and ignores other namespaces", () => {
    const stack = parseStackFile(MINIMAL, "s.yaml");
    expect(Object.keys(stack.values).sort()).toEqual(["audience", "branding", "instanceUrl", "preset", "project"]);
    expect(stack.parsed.singleClientShorthand).toBe(true);
  });

  it("names the file and the key of every problem", () => {
    const errs = errorOf(() => parseStackFile(MINIMAL.replace("demo-project-1", "Bad_Id"), "s.yaml"));
    expect(errs.map((e) => e.field)).toEqual(["s.yaml: gmail-oauth:project.id"]);
    expect(errorOf(() => parseStackFile("config: [1", "s.yaml"))[0]?.field).toBe("s.yaml");
    expect(errorOf(() => parseStackFile("name: x\n", "s.yaml"))[0]?.field).toBe("s.yaml: config");
  });

  it("refuses encrypted values, which only the Pulumi CLI can read", () => {
    const errs = errorOf(() => parseStackFile(`${MINIMAL}  clientSecret:\n    secure: v1:abcdef\n`, "s.yaml"));
    expect(errs[0]?.field).toBe("s.yaml: gmail-oauth:clientSecret");
    // The word alone is no secure value.
    expect(() => parseStackFile(MINIMAL.replace("appName: Demo", "appName: secure"), "s.yaml")).not.toThrow();
  });

  it("a missing --stack-config file is an input error naming the flag", async () => {
    await expect(loadStack("nope.yaml", "/")).rejects.toMatchObject({ field: "--stack-config" });
  });
});

describe("walkthroughTarget", () => {
  it("refuses a stack without Testing mistakes to show", () => {
    const prod = parseStackFile(
      MINIMAL.replace("{ testUsers: [a@example.com, b@example.com] }", "{ publishingStatus: production }"),
      "s.yaml",
    );
    expect(errorOf(() => walkthroughTarget(prod))[0]?.field).toBe("s.yaml: gmail-oauth:audience.publishingStatus");
  });
});

describe("pulumiConfig", () => {
  it("puts client IDs in clients[i] and the secrets under the secret key clientSecrets", async () => {
    const stack = await loadStack(undefined, process.cwd());
    const { config, secretKeys } = pulumiConfig(stack, [
      { name: "flectra", clientId: "1-x.apps.googleusercontent.com", secret: "GOCSPX-s" },
    ]);
    expect(JSON.parse(config["gmail-oauth:clients"]!)).toEqual([
      {
        name: "flectra",
        preset: "flectra",
        instanceUrl: "http://127.0.0.1:7073",
        clientId: "1-x.apps.googleusercontent.com",
      },
    ]);
    expect(JSON.parse(config["gmail-oauth:clientSecrets"]!)).toEqual({ flectra: "GOCSPX-s" });
    expect(secretKeys).toEqual(["gmail-oauth:clientSecrets"]);
    expect(config["gmail-oauth:appServiceAccount"]).toBe("flectra-mail@sandbox-gmail-demo.iam.gserviceaccount.com");
  });

  it("uses clientId and clientSecret with the single-client shorthand", () => {
    const { config, secretKeys } = pulumiConfig(parseStackFile(MINIMAL, "s.yaml"), [
      { name: "flectra", clientId: "1-x.apps.googleusercontent.com", secret: "GOCSPX-s" },
    ]);
    expect(config["gmail-oauth:clientId"]).toBe("1-x.apps.googleusercontent.com");
    expect(config["gmail-oauth:clientSecret"]).toBe("GOCSPX-s");
    expect(secretKeys).toEqual(["gmail-oauth:clientSecret"]);
  });
});

describe("withOrigin", () => {
  it("moves the instance URL, and so the redirect URI, to another port", () => {
    const moved = withOrigin(parseStackFile(MINIMAL, "s.yaml"), "http://127.0.0.1:7073", "http://127.0.0.1:40001");
    expect(moved.parsed.spec.clients[0]?.redirectUris).toEqual(["http://127.0.0.1:40001/google_gmail/confirm"]);
  });
});
