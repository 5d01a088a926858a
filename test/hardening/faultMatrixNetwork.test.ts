// The network half of the fault matrix (faultMatrix.ts, NETWORK_FAULTS): a proxy that refuses connections, a proxy
// that wants credentials, a TLS-inspecting path whose CA Node does not know, and a Google host that does not resolve.
// Each fault is on for a whole run; every check of the run must end with the verdict and the diagnosis the matrix
// names (never google_unavailable, never a failure), with exit 3, and without a stack trace. How long a run takes is
// not asserted (issue 14 §6: on a shared two-core machine a time bound measures the machine).
// Its own file, run cell after cell: the proxy variables live in process.env, which concurrent cells would share.
import { DEFAULT_SCOPE as MAIL } from "../../google/scopes";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ENV } from "../../common/env";
import { forgetSecrets } from "../../common/redact";
import { startEmulator, type RunningEmulator } from "../../emulator/index";
import type { CheckResult } from "../../validator/types";
import { closedPort, startForwardProxy, type ForwardProxy } from "../support/forwardProxy";
import { startTlsFront, type TlsFront } from "../support/tlsFront";
import { cli } from "../validator/helpers";
import {
  MATRIX_TIMEOUT_S,
  NETWORK_CHECKS,
  NETWORK_FAULT_NAMES,
  NETWORK_FAULTS,
  networkFaultVerdict,
  type LiveCheck,
  type NetworkFaultName,
} from "./faultMatrix";

const PROJECT = "network-matrix";
const WEB = "525252-networkweb.apps.googleusercontent.com";
const SECRET = "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";
const CLOUD_TOKEN = "ya29.network-matrix-cloud-token";
const ACCOUNT = "ana@example.com";
const VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", ENV.proxyLoopback];

let emu: RunningEmulator;
let front: TlsFront;
let proxy: ForwardProxy;
let authProxy: ForwardProxy;
const saved = Object.fromEntries(VARIABLES.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  emu = await startEmulator({
    projects: [{ id: PROJECT, number: "525252", userType: "external", publishingStatus: "production", verified: true }],
    clients: [{ id: WEB, projectId: PROJECT, type: "web", secrets: [SECRET], redirectUris: [] }],
    accounts: [{ email: ACCOUNT }],
  });
  emu.admin.addCloudCredential(CLOUD_TOKEN, { projects: [PROJECT] });
  // The app's endpoint is played by the emulator's tokeninfo (as in the emulator-fault matrix): plain http, any answer.
  emu.admin.updateClient(WEB, { redirectUris: [`${emu.origin}/tokeninfo`] });
  front = await startTlsFront(emu.origin);
  proxy = await startForwardProxy();
  authProxy = await startForwardProxy({ user: "matrix", password: "matrix-proxy-password" });
});
afterAll(async () => {
  await Promise.all([proxy.close(), authProxy.close(), front.close()]);
  await emu.close();
});
afterEach(() => {
  for (const k of VARIABLES) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  forgetSecrets();
});

/** The environment and --google-origin of each fault; the proxy that can count its requests, if any. */
async function arrange(fault: NetworkFaultName): Promise<{ origin: string; counter?: ForwardProxy }> {
  for (const k of VARIABLES) delete process.env[k];
  process.env[ENV.proxyLoopback] = "1";
  switch (fault) {
    case "proxy-refused":
      process.env.HTTP_PROXY = `http://127.0.0.1:${await closedPort()}`;
      return { origin: emu.origin };
    case "proxy-407":
      process.env.HTTP_PROXY = authProxy.origin;
      return { origin: emu.origin, counter: authProxy };
    case "tls-untrusted":
      process.env.HTTPS_PROXY = proxy.origin;
      return { origin: front.origin, counter: proxy };
    case "dns":
      return { origin: "http://oauth2.invalid:9" };
  }
}

async function runFor(check: LiveCheck, origin: string) {
  const common = ["--timeout", String(MATRIX_TIMEOUT_S), "--google-origin", origin, "--json"];
  const env = { NO_COLOR: "1", [ENV.clientSecret]: SECRET, [ENV.cloudAccessToken]: CLOUD_TOKEN };
  if (check.runner === "preflight")
    return cli(
      [
        "validate",
        "--client-id",
        WEB,
        "--redirect-uri",
        `${emu.origin}/tokeninfo`,
        "--project",
        PROJECT,
        ...["--user-type", "external", "--publishing-status", "production"],
        ...common,
      ],
      { env },
    );
  const refresh = emu.admin.mintGrant({ clientId: WEB, account: ACCOUNT, scopes: [MAIL], offline: true })
    .refresh_token!;
  return cli(["check-token", "--client-id", WEB, "--account", ACCOUNT, ...common], {
    env: { ...env, [ENV.refreshToken]: refresh },
  });
}

const isTarget = (check: LiveCheck) => (r: CheckResult) =>
  typeof check.resultId === "string" ? r.id === check.resultId : check.resultId.test(r.id);

describe.each(NETWORK_FAULT_NAMES.map((f) => [NETWORK_FAULTS[f].label, f] as const))("%s", (_label, fault) => {
  for (const runner of ["preflight", "check-token"] as const) {
    const checks = NETWORK_CHECKS.filter((c) => c.runner === runner);
    it(`${runner}: ${checks.map((c) => c.key).join(", ")}`, async () => {
      const { origin, counter } = await arrange(fault);
      const before = counter?.seen.length ?? 0;
      const r = await runFor(checks[0]!, origin);
      const results = r.stdout ? (JSON.parse(r.stdout) as { checks: CheckResult[] }).checks : [];
      const summary = results.map((c) => `${c.id}=${c.status}/${c.diagnosis} (${c.detail?.slice(0, 140)})`).join("\n");
      let requests = 0;
      for (const check of checks) {
        const want = networkFaultVerdict(check, fault);
        const target = results.filter(isTarget(check));
        expect(target, summary).toHaveLength(1);
        expect(target[0]!.status, summary).toBe(want.status);
        expect(r.code, summary).toBe(want.exit);
        if (want.diagnosis) {
          expect(target[0]!.diagnosis, summary).toBe(want.diagnosis);
          expect(target[0]!.detail, "an inconclusive check says why").toMatch(/\S/);
          if (counter) requests++;
        }
      }
      // Nothing turns the fault into a verdict, and nothing blames Google for it.
      expect(
        results.filter((c) => c.status === "fail"),
        summary,
      ).toEqual([]);
      expect(
        results.filter((c) => c.diagnosis === "google_unavailable"),
        summary,
      ).toEqual([]);
      // "1 try": where a proxy can count them, one request per faulted check reached it (none was retried).
      if (counter) expect(counter.seen.length - before, summary).toBe(requests);
      expect(r.stderr).not.toMatch(/internal error|^\s+at\s/m);
    });
  }
});
