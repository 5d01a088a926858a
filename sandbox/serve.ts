// `gmail-oauth sandbox --serve`: provision and the console steps done right, then the emulator keeps running with
// that state until SIGINT/SIGTERM, so a team can point its own app (or a browser, or `validate`) at it.
import { join } from "node:path";
import type { CliIo } from "../common/io";
import { ENV } from "../common/env";
import { EXIT } from "../common/errors";
import { redact, redactValue } from "../common/redact";
import { paint, useColor } from "../common/terminal";
import { buildAuthorizeUrl } from "../google/authorizeUrl";
import { googleEndpoints } from "../google/endpoints";
import { startEmulator } from "../emulator";
import { SUGGESTED_LOOPBACK_URI } from "../validator/flow/redirect";
import { configureConsentScreen, createClients, downloadClientJson } from "./console";
import { SandboxEngine } from "./mockEngine";
import {
  addOperatorCredential,
  addPeople,
  CLIENT_FILE,
  makeWorkDir,
  removeWorkDir,
  SPEC_FILE,
  stackOutputsJson,
  writePrivate,
} from "./accountsAndFiles";
import { loadStack, pulumiConfig } from "./stackConfig";

export interface ServeOptions {
  readonly json?: boolean;
  readonly stackConfig?: string;
  /** The emulator's port; default any free one. */
  readonly port?: number;
}

export interface ServeInfo {
  readonly origin: string;
  readonly project: { readonly id: string; readonly number: string };
  readonly clients: readonly {
    readonly name: string;
    readonly clientId: string;
    readonly redirectUris: readonly string[];
    readonly clientSecretFile: string;
    readonly authorizeUrl?: string;
  }[];
  readonly accounts: readonly string[];
  /** `pulumi stack output --json`, for `validate --spec`. */
  readonly specFile: string;
  /** A 0600 file holding the operator's cloud token, for validate's Gmail API check (GOOGLE_OAUTH_ACCESS_TOKEN). */
  readonly cloudTokenFile: string;
  readonly adminApi: string;
}

/** What an app sends first: the authorization request for its redirect URI (no PKCE; the app adds its own). */
function exampleAuthorizeUrl(
  origin: string,
  clientId: string,
  redirectUri: string,
  scopes: readonly string[],
  account?: string,
): string {
  return buildAuthorizeUrl(googleEndpoints(origin), {
    clientId,
    redirectUri,
    scopes,
    secrets: { state: "sandbox" },
    account,
  });
}

function describe(info: ServeInfo, color: boolean): string {
  const p = paint(color);
  const client = info.clients[0];
  const lines = [
    `${p.green("Sandbox serving")} on ${p.bold(info.origin)}: the provisioned project with the console steps done, until Ctrl-C.`,
    "",
    `  Google origin     ${info.origin}   (every Google host: point the app's OAuth/Gmail endpoints here, or pass --google-origin / ${ENV.googleOrigin} to the kit)`,
    `  Project           ${info.project.id} (number ${info.project.number}), Gmail API enabled`,
    ...info.clients.flatMap((c) => [
      `  Client ${c.name.padEnd(10)} ${c.clientId}`,
      `    redirect URIs   ${c.redirectUris.join(", ") || "(none: Desktop client)"}`,
      `    client secret   in ${c.clientSecretFile} (the console's Download JSON, mode 0600; never printed)`,
      ...(c.authorizeUrl ? [`    authorize URL   ${c.authorizeUrl}`] : []),
    ]),
    `  Accounts          ${info.accounts.join(", ")} (sign in by choosing one; no password)`,
    `  Stack outputs     ${info.specFile}`,
    `  Admin API         ${info.adminApi} (docs/emulator.md: advanceClock, addAccount, updateProject, …)`,
    "",
    "  Try it:",
    `    ${ENV.cloudAccessToken}="$(cat ${info.cloudTokenFile})" gmail-oauth validate --spec ${info.specFile} --client-secret-file ${client?.clientSecretFile ?? CLIENT_FILE} --account ${info.accounts[0] ?? "MAILBOX"} --google-origin ${info.origin} --flow`,
    "",
    p.dim("The files are removed when the sandbox stops."),
  ];
  return redact(`${lines.join("\n")}\n`);
}

/** Runs until `stop` settles; resolves with the exit code. `onReady` sees what was printed (tests). */
export async function runServe(
  io: CliIo,
  opts: ServeOptions,
  stop: Promise<unknown>,
  onReady?: (info: ServeInfo) => void,
): Promise<number> {
  const stack = await loadStack(opts.stackConfig, io.cwd);
  const { spec } = stack.parsed;
  const dir = await makeWorkDir();
  try {
    const emu = await startEmulator({}, { port: opts.port ?? 0 });
    try {
      const accounts = addPeople(emu.admin, spec);
      const engine = new SandboxEngine(emu.admin);
      const first = await engine.up(pulumiConfig(stack).config);
      configureConsentScreen(emu.admin, spec);
      // The loopback redirect `validate --flow` suggests, so the flow works against the served state as well.
      const webClient = spec.clients.find((c) => c.type === "web");
      const { clients } = createClients(
        emu.admin,
        spec,
        first.outputs.projectNumber,
        webClient ? { [webClient.name]: [SUGGESTED_LOOPBACK_URI] } : {},
      );
      const withCredentials = pulumiConfig(stack, clients);
      const second = await engine.up(withCredentials.config, withCredentials.secretKeys);
      const cloudTokenFile = join(dir, "cloud-access-token");
      await writePrivate(cloudTokenFile, `${addOperatorCredential(emu.admin, spec.project.id)}\n`);
      const specFile = join(dir, SPEC_FILE);
      await writePrivate(specFile, stackOutputsJson(second.outputs));
      const registered = emu.admin.state().clients;
      const infoClients = await Promise.all(
        clients.map(async (c) => {
          const file = join(dir, clients.length > 1 ? `client_secret.${c.name}.json` : CLIENT_FILE);
          await writePrivate(file, downloadClientJson(emu.admin, spec, c));
          const uris = registered.find((x) => x.id === c.clientId)?.redirectUris ?? [];
          const appUri = spec.clients.find((x) => x.name === c.name)?.redirectUris[0];
          return {
            name: c.name,
            clientId: c.clientId,
            redirectUris: uris,
            clientSecretFile: file,
            ...(appUri
              ? {
                  authorizeUrl: exampleAuthorizeUrl(
                    emu.origin,
                    c.clientId,
                    appUri,
                    spec.dataAccess.scopes,
                    accounts[0],
                  ),
                }
              : {}),
          };
        }),
      );
      const info: ServeInfo = {
        origin: emu.origin,
        project: { id: second.outputs.projectId, number: second.outputs.projectNumber },
        clients: infoClients,
        accounts,
        specFile,
        cloudTokenFile,
        adminApi: `${emu.origin}/__emulator/`,
      };
      io.stdout.write(
        opts.json ? `${JSON.stringify(redactValue(info), null, 2)}\n` : describe(info, useColor(io.stdout, io.env)),
      );
      onReady?.(info);
      await stop;
    } finally {
      await emu.close();
    }
  } finally {
    await removeWorkDir(dir);
  }
  io.stderr.write("Sandbox stopped; its files are removed.\n");
  return EXIT.ok;
}
