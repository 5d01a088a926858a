// One setup run's state: the answers (kept in the progress file), the spec they declare, and what is only ever held
// in memory (the client JSON with its secret). The spec comes from the program's own stack-config reader
// (connection/parse.ts), so what setup writes at the end is exactly what `pulumi up` and `validate --spec` accept.
import { ENV } from "../common/env";
import { InputError, InputErrors } from "../common/errors";
import { registerSecret } from "../common/redact";
import { CONFIG_NAMESPACE, readStackConfig } from "../connection/parse";
import { isPresetName, PRESET_NAMES, type PresetName } from "../connection/presets";
import type { ConnectionSpec } from "../connection/types";
import { SUGGESTED_LOOPBACK_URI } from "../validator/flow/redirect";
import { parseClientFile, type ClientFile } from "../validator/clientFile";
import { findAdcFile } from "../validator/inputs";
import type { ValidationInput } from "../validator/types";
import type { SetupAnswers } from "./progress";

/** How the stack-config keys setup writes map back to the flags (and questions) that gave them. */
const FLAG_OF: readonly [RegExp, string][] = [
  [/project\.id$/, "--project"],
  [/instanceUrl$/, "--app-url"],
  [/callbackPath$/, "--callback-path"],
  [/preset$/, "--app"],
  [/audience\.testUsers/, "--account"],
  [/branding\.appName$/, "--app-name"],
  [/branding\.supportEmail$/, "--support-email"],
  [/branding\.developerContacts/, "--support-email"],
  [/audience\.userType$/, "--user-type"],
  [/audience\.publishingStatus$/, "--publishing-status"],
  [/clientId$/, "--client-secret-file"],
];

export function flagFor(configKey: string): string {
  return FLAG_OF.find(([re]) => re.test(configKey))?.[1] ?? configKey;
}

/** The stack config (the program's keys, without the namespace) that the answers declare. */
export function stackValues(a: SetupAnswers): Record<string, unknown> {
  const userType = a.userType ?? "external";
  const publishingStatus = userType === "internal" ? undefined : (a.publishingStatus ?? "testing");
  return {
    // The person made the project by hand: the program must adopt it, never create or delete it.
    project: { mode: "adopt", id: a.project },
    branding: { appName: a.appName, supportEmail: a.supportEmail },
    audience: {
      userType,
      ...(publishingStatus ? { publishingStatus } : {}),
      ...(userType === "external" && publishingStatus === "testing" && a.account ? { testUsers: [a.account] } : {}),
    },
    preset: a.app,
    instanceUrl: a.appUrl,
    ...(a.callbackPath ? { callbackPath: a.callbackPath } : {}),
    ...(a.clientId ? { clientId: a.clientId } : {}),
  };
}

/** The spec of the answers; problems are InputErrors naming the flag, not the config key. */
export function specOf(a: SetupAnswers): ConnectionSpec {
  try {
    return readStackConfig(stackValues(a)).spec;
  } catch (e) {
    if (e instanceof InputErrors)
      throw new InputErrors(
        e.errors.map((x) => new InputError(flagFor(x.field), x.problem.replace(`${CONFIG_NAMESPACE}:`, ""), x.fix)),
      );
    throw e;
  }
}

export function presetName(value: string | undefined): PresetName | undefined {
  const v = value?.trim().toLowerCase().replace(/-/g, "_");
  return v && isPresetName(v) ? v : undefined;
}

export function checkPreset(value: string): PresetName {
  const p = presetName(value);
  if (!p) throw new InputError("--app", `'${value}' is not a known app`, `use one of ${PRESET_NAMES.join(", ")}`);
  return p;
}

/** The run's fixed settings (flags and environment), as opposed to the answers. */
export interface SetupEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly googleOrigin?: string;
  /** Bound on each live check, and on the wait for the person at the consent step, in seconds. */
  readonly timeoutSeconds: number;
  readonly noBrowser: boolean;
}

/** The client JSON in memory: its secret is registered with redact() the moment it is read. */
export interface LoadedClient {
  readonly file: ClientFile;
  /** Where it came from: a path, or "pasted client JSON". */
  readonly source: string;
}

export function loadClient(text: string, source: string): LoadedClient {
  const file = parseClientFile(text.replace(/^\uFEFF/, ""), source);
  registerSecret(file.clientSecret);
  return { file, source };
}

export const loopbackOf = (a: SetupAnswers): string => a.loopbackUri ?? SUGGESTED_LOOPBACK_URI;

/** The validator's input for the checks of one step: the same shape `validate` resolves from its flags. */
export function validationInput(
  spec: ConnectionSpec,
  a: SetupAnswers,
  run: SetupEnv,
  client: LoadedClient | undefined,
  seconds = run.timeoutSeconds,
): ValidationInput {
  const c = spec.clients[0];
  const cloudAccessToken = run.env[ENV.cloudAccessToken]?.trim() || undefined;
  registerSecret(cloudAccessToken);
  const file = client?.file;
  return {
    clientId: file?.clientId ?? c?.clientId,
    clientSecret: file?.clientSecret,
    clientType: file?.kind ?? c?.type,
    clientName: c?.name,
    registeredRedirectUris: file?.kind === "web" ? file.redirectUris : file ? [] : undefined,
    redirectUris: c?.redirectUris ?? [],
    scopes: spec.dataAccess.scopes,
    account: a.account,
    project: spec.project.id,
    projectNumber: spec.project.number,
    audience: spec.audience,
    organizationDomain: spec.organizationDomain,
    spec,
    googleOrigin: run.googleOrigin,
    clientFile: client ? { path: client.source, problems: client.file.problems } : undefined,
    cloudAccessToken,
    adcFile: cloudAccessToken ? undefined : findAdcFile(run.env),
    deadline: Date.now() + seconds * 1000,
    provenance: {},
  };
}
