// The pack's entry (policy/index.ts), loaded the way `pulumi preview --policy-pack policy` loads it: Pulumi's own
// policy-pack runner (@pulumi/pulumi/cmd/run-policy-pack) in a child process whose cwd is the pack folder; the
// folder's package.json names the build, dist/policy/index.js (built by `npm ci`). Constructing the PolicyPack starts the analyzer gRPC server and prints its
// port; the test then speaks the engine's side of the protocol to it on 127.0.0.1.
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_TYPE, POLICY_PACK_NAME, policies, PROJECT_TYPE } from "../../policy/policies";
import { compliantSpec, specWith } from "./fixtures";

const ROOT = path.resolve(__dirname, "../..");
const PACK_DIR = path.join(ROOT, "policy");
const RUNNER = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");

let child: ChildProcess | undefined;
let client: analyzerRpc.AnalyzerClient;
let childStderr = "";

/** Start the pack as the engine would and resolve with the port it prints on its first stdout line. */
function startPack(): Promise<number> {
  return new Promise((resolve, reject) => {
    // The first argument is the engine address; the runner drops it before loading the pack.
    child = spawn(process.execPath, [RUNNER, "127.0.0.1:0", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n")[0]!;
      if (out.includes("\n") && /^\d+$/.test(line.trim())) resolve(Number(line.trim()));
    });
    child.stderr!.on("data", (chunk: Buffer) => void (childStderr += chunk.toString()));
    child.on("exit", (code) =>
      reject(new Error(`policy pack exited with ${code} before printing its port:\n${out}\n${childStderr}`)),
    );
  });
}

/** One unary call, as a promise. */
function call<Res>(send: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => send((err, res) => (err ? reject(err) : resolve(res))));
}

async function analyze(type: string, props: Record<string, unknown>, stack = "prod") {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(type);
  req.setName("r");
  req.setUrn(`urn:pulumi:${stack}::gmail::${type}::r`);
  req.setProperties(Struct.fromJavaScript(props as never));
  // The engine always sends the resource options; @pulumi/policy refuses a request without them.
  req.setOptions(new analyzerPb.AnalyzerResourceOptions());
  const res = await call<analyzerPb.AnalyzeResponse>((cb) => client.analyze(req, cb));
  return res.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    message: d.getMessage(),
    mandatory: d.getEnforcementlevel() === analyzerPb.EnforcementLevel.MANDATORY,
  }));
}

async function configure(config: Record<string, Record<string, unknown>>) {
  const req = new analyzerPb.ConfigureAnalyzerRequest();
  for (const [name, props] of Object.entries(config)) {
    const pc = new analyzerPb.PolicyConfig();
    pc.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
    pc.setProperties(Struct.fromJavaScript(props as never));
    req.getPolicyconfigMap().set(name, pc);
  }
  await call((cb) => client.configure(req, cb));
}

describe("policy pack entry (policy/index.ts) under Pulumi's policy-pack runner", () => {
  beforeAll(async () => {
    const port = await startPack();
    client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(() => {
    client?.close();
    child?.removeAllListeners("exit");
    child?.kill();
  });

  it("serves the pack named in policies.ts, with its version from policy/package.json and every policy", async () => {
    const info = await call<analyzerPb.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
    expect(info.getName()).toBe(POLICY_PACK_NAME);
    expect(info.getVersion()).toBe("0.1.0");
    const served = info.getPoliciesList().map((p) => p.getName());
    expect(served).toEqual(policies.map((p) => p.name));
    for (const p of info.getPoliciesList()) {
      expect(p.getEnforcementlevel()).toBe(analyzerPb.EnforcementLevel.MANDATORY);
      expect(Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}).length).toBeGreaterThan(0);
    }
  });

  it("passes a compliant connection and reports a broken one, field by field", async () => {
    expect(await analyze(CONNECTION_TYPE, { spec: compliantSpec() })).toEqual([]);
    const broken = specWith((s) => {
      s.clients[0]!.redirectUris = ["http://n8n.example.com/cb"];
      s.audience.userType = "external";
      s.project.deletionProtection = false;
    });
    const diags = await analyze(CONNECTION_TYPE, { spec: broken });
    // @pulumi/policy puts the policy's description on the first line and our `field: problem; fix` on the next.
    const line = (field: string) => expect.stringContaining(`\n${field}: `);
    expect(diags).toEqual([
      { policy: "gmail-redirect-uris-https", message: line("clients[0].redirectUris[0]"), mandatory: true },
      { policy: "gmail-internal-user-type", message: line("audience.userType"), mandatory: true },
      // External + production + gmail.send (sensitive) + not-submitted: the change above also trips this one.
      { policy: "gmail-production-verification", message: line("audience.verification"), mandatory: true },
      { policy: "gmail-project-deletion-protection", message: line("project.deletionProtection"), mandatory: true },
    ]);
  });

  it("judges the GCP Project's deletionPolicy", async () => {
    expect(await analyze(PROJECT_TYPE, { projectId: "p", deletionPolicy: "PREVENT" })).toEqual([]);
    const diags = await analyze(PROJECT_TYPE, { projectId: "p", deletionPolicy: "DELETE" });
    expect(diags.map((d) => d.policy)).toEqual(["gmail-project-deletion-protection"]);
  });

  it("applies the stack's policy config sent by the engine", async () => {
    const spec = specWith((s) => void s.clients[0]!.redirectUris.push("http://localhost:5678/cb"));
    expect((await analyze(CONNECTION_TYPE, { spec }, "staging")).map((d) => d.policy)).toEqual([
      "gmail-redirect-uris-https",
    ]);
    await configure({ "gmail-redirect-uris-https": { devStacks: ["staging"] } });
    expect(await analyze(CONNECTION_TYPE, { spec }, "staging")).toEqual([]);
  });
});
