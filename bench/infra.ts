// The Pulumi program under mocks (issue 7 §3): the GmailConnection component, as provision() builds it, with 50
// clients (each with a stored secret: Secret, SecretVersion and an IAM grant), against the same with 1 client.
// Stack config caps a project at 36 clients (Google's console limit, connection/rules.ts MAX_CLIENTS), so the component
// is given the spec directly, as a program managing a fleet of projects would; the config parser is not what scales.
// It runs in a child process: Pulumi's mocks are process-global, and loading @pulumi/gcp is not what is measured.
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { PROJECT_TYPE } from "../connection/resourceTypes";
import type { ConnectionSpec } from "../connection/types";
import type { BenchRow } from "./types";

export interface InfraBenchOptions {
  readonly clients: number;
  readonly runs: number;
}

export const INFRA_BENCH: InfraBenchOptions = { clients: 50, runs: 5 };

/** A spec with `n` Web clients, each with a client ID (so its secret is stored), an admin and an app account. */
export function benchSpec(n: number): ConnectionSpec {
  return {
    version: 1,
    project: {
      mode: "create",
      id: "bench-infra",
      orgId: "123456789012",
      billingAccount: "012345-6789AB-CDEF01",
      deletionProtection: true,
    },
    branding: {
      appName: "Bench Mail",
      supportEmail: "it@example.com",
      developerContacts: ["it@example.com"],
      authorizedDomains: ["example.com"],
    },
    audience: { userType: "internal", publishingStatus: "production", testUsers: [], verification: "verified" },
    dataAccess: { scopes: ["https://www.googleapis.com/auth/gmail.send"] },
    clients: Array.from({ length: n }, (_, i) => ({
      name: `client-${i}`,
      type: "web" as const,
      redirectUris: [`https://app${i}.example.com/oauth/callback`],
      javascriptOrigins: [],
      clientId: `123456789012-c${i}.apps.googleusercontent.com`,
    })),
    oauthAdmins: ["user:ana@example.com"],
    appServiceAccount: "app@bench-infra.iam.gserviceaccount.com",
    organizationDomain: "example.com",
  };
}

// Each measurement: fresh mocks, the component, then every output and every registration settled.
const DRIVER = `
const pulumi = require("@pulumi/pulumi");
const [componentPath, benchPath, countsJson, runs] = process.argv.slice(1);
const { GmailConnection } = require(componentPath);
const { benchSpec } = require(benchPath);
const settle = () => pulumi.runtime.waitForRPCs();
const value = (o) => new Promise((r) => o.apply(r));
let resources = 0;
async function once(n, tag) {
  await pulumi.runtime.setMocks({
    newResource(args) { resources++; return { id: args.name + "_id", state: args.type === ${JSON.stringify(PROJECT_TYPE)} ? { ...args.inputs, number: "123456789012" } : args.inputs }; },
    call(args) { return args.inputs; },
  }, "gmail-oauth", "bench", false);
  const spec = benchSpec(n);
  const secrets = Object.fromEntries(spec.clients.map((c, i) => [c.name, pulumi.secret("GOCSPX-bench-infra-" + String(i).padStart(6, "0"))]));
  resources = 0;
  const t = performance.now();
  const conn = new GmailConnection("gmail-connection-" + tag, { spec, clientSecrets: secrets });
  await Promise.all([value(conn.connectionSpec), value(conn.clientSecretNames), value(conn.consoleRunbook)]);
  await settle();
  return { ms: performance.now() - t, resources };
}
(async () => {
  const counts = JSON.parse(countsJson);
  await once(counts[0], "warmup");
  const out = {};
  for (const n of counts) {
    const times = [];
    let res = 0;
    for (let k = 0; k < Number(runs); k++) { const r = await once(n, n + "-" + k); times.push(r.ms); res = r.resources; }
    times.sort((a, b) => a - b);
    out[n] = { ms: times[Math.floor(times.length / 2)], resources: res };
  }
  process.stdout.write(JSON.stringify(out) + "\\n");
})().catch((e) => { process.stderr.write(String(e && e.stack || e) + "\\n"); process.exit(1); });
`;

interface Measured {
  readonly ms: number;
  readonly resources: number;
}

function runDriver(counts: number[], runs: number): Promise<Record<string, Measured>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-e", DRIVER, require.resolve("../infra/gmailConnection"), __filename, JSON.stringify(counts), String(runs)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Record<string, Measured>)
        : reject(new Error(`Pulumi mocks process exited (${code}): ${err.split("\n")[0]}`)),
    );
  });
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export async function benchInfra(opts: InfraBenchOptions = INFRA_BENCH): Promise<BenchRow[]> {
  const m = await runDriver([1, opts.clients], opts.runs);
  const one = m[1]!;
  const many = m[opts.clients]!;
  const ratio = many.ms / one.ms;
  return [
    {
      name: `Pulumi program under mocks, ${opts.clients} clients`,
      value: round(many.ms),
      unit: "ms",
      baseline: `1 client: ${round(one.ms)} ms (${one.resources} registered)`,
      ratio: round(ratio, 2),
      // The program is linear in its clients at worst; the fixed part (project, APIs, admins) makes it less.
      target: `< ${opts.clients} (no worse than linear)`,
      met: ratio < opts.clients,
      note: `${many.resources} resources and components registered; median of ${opts.runs} runs after a warm-up, in a child process; the component is given the spec directly because stack config allows 36 clients per project; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`,
    },
  ];
}
