// The service-account benchmark (issue 12): 50 mailboxes × 4 scopes, 50 ms on every token request, default
// concurrency. Its floor is (token requests ÷ concurrency) × 50 ms; the run should stay within 1.3× of it. The
// emulator runs in a child process, as Google is remote in real use.
import { generateKeyPairSync } from "node:crypto";
import { DWD_CONSOLE_URL } from "../google/domainWideDelegation";
import { DEFAULT_CONCURRENCY } from "../validator/fleet/pool";
import { runServiceAccountChecks } from "../validator/serviceAccount/serviceAccountChecks";
import type { ServiceAccountRun } from "../validator/serviceAccount/serviceAccountInputs";
import { startChild } from "./child";
import type { BenchRow } from "./types";

const LATENCY_MS = 50;
const MAILBOXES = 50;
const G = "https://www.googleapis.com/auth/";
const SCOPES = ["https://mail.google.com/", `${G}gmail.readonly`, `${G}gmail.send`, `${G}gmail.modify`];

const SERVER = `
const [emulatorPath, scenarioJson, latency] = process.argv.slice(1);
(async () => {
  const { startEmulator } = require(emulatorPath);
  const emu = await startEmulator(JSON.parse(scenarioJson));
  emu.admin.setFault("token", { latencyMs: Number(latency) });
  process.stdout.write(JSON.stringify({ origin: emu.origin }) + "\\n");
  process.stdin.on("end", () => process.exit(0)).resume();
})();
`;

export async function serviceAccountRows(): Promise<BenchRow[]> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const sa = "bench-relay@bench-mail.iam.gserviceaccount.com";
  const uniqueId = "100000000000000000001";
  const mailboxes = Array.from({ length: MAILBOXES }, (_, i) => `user${i}@bench.example`);
  const scenario = {
    projects: [{ id: "bench-mail", number: "123456789012", organization: "bench.example" }],
    accounts: mailboxes.map((email) => ({ email, orgDomain: "bench.example" })),
    serviceAccounts: [{ email: sa, uniqueId, keys: [{ id: "k1", publicKey }] }],
    delegations: [{ domain: "bench.example", clientId: uniqueId, scopes: SCOPES }],
  };
  const { ready, stop } = await startChild<{ origin: string }>(
    SERVER,
    [require.resolve("../emulator/index"), JSON.stringify(scenario), String(LATENCY_MS)],
    "emulator process",
  );
  try {
    const run = (): ServiceAccountRun => ({
      serviceAccount: sa,
      uniqueId,
      projectId: "bench-mail",
      key: { path: "(in memory)", keyId: "k1", privateKey, clientEmail: sa },
      mailboxes,
      scopes: SCOPES,
      concurrency: DEFAULT_CONCURRENCY,
      base: {
        redirectUris: [],
        scopes: SCOPES,
        googleOrigin: ready.origin,
        deadline: Date.now() + 120_000,
        provenance: {},
      },
    });
    await runServiceAccountChecks(run()); // warm-up
    const t = performance.now();
    const checks = await runServiceAccountChecks(run());
    const elapsed = performance.now() - t;
    const failed = checks.filter((c) => c.status === "fail" || c.status === "inconclusive").length;
    const requests = MAILBOXES * SCOPES.length;
    const floor = (requests / DEFAULT_CONCURRENCY) * LATENCY_MS;
    const ratio = elapsed / floor;
    return [
      {
        name: `validate --service-account: ${MAILBOXES} mailboxes × ${SCOPES.length} scopes, ${LATENCY_MS} ms per token request, concurrency ${DEFAULT_CONCURRENCY}`,
        value: Math.round(elapsed),
        unit: "ms",
        baseline: `${requests} token requests ÷ ${DEFAULT_CONCURRENCY} × ${LATENCY_MS} ms = ${Math.round(floor)} ms`,
        ratio: Math.round(ratio * 100) / 100,
        target: "< 1.3",
        met: ratio < 1.3 && failed === 0,
        note: failed ? `${failed} rows did not pass (see ${DWD_CONSOLE_URL})` : `${checks.length} rows`,
      },
    ];
  } finally {
    stop();
  }
}
