// What setup leaves behind: the connection spec (for `validate --spec` and `fleet`), the matching Pulumi stack
// config (so the setup can be adopted as code later), and the values to enter in the app, where they go.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import YAML from "yaml";
import { CONFIG_NAMESPACE } from "../connection/parse";
import { PRESETS, isPresetName } from "../connection/presets";
import { DEFAULT_SPEC_FILE } from "../connection/runbook";
import { schemaUrl } from "../connection/schemaFiles";
import { type ConnectionSpec, firstClient } from "../connection/types";
import type { SetupAnswers } from "./progress";
import { stackValues } from "./session";

export interface WrittenFiles {
  readonly spec: string;
  readonly stackConfig: string;
}

export async function writeOutputs(
  dir: string,
  stackName: string,
  spec: ConnectionSpec,
  answers: SetupAnswers,
): Promise<WrittenFiles> {
  const specFile = join(dir, DEFAULT_SPEC_FILE);
  // The bare spec: `validate --spec` and fleet files take it as they take `pulumi stack output --json`.
  // `$schema` first: an editor that opens the file validates and completes it against the shipped JSON Schema.
  const specDocument = { $schema: schemaUrl("connectionSpec"), ...spec };
  await writeFile(specFile, `${JSON.stringify(specDocument, null, 2)}\n`, { mode: 0o644 });
  const stackFile = join(dir, `Pulumi.${stackName}.yaml`);
  const config = Object.fromEntries(
    Object.entries(stackValues(answers)).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v]),
  );
  const header = [
    `# yaml-language-server: $schema=${schemaUrl("stackConfig")}`,
    "# Written by `gmail-oauth setup`: the connection as it was set up by hand, in the Pulumi program's stack config.",
    "# The project is adopted (never modified or deleted). The client secret is not here: before `pulumi up`, run",
    `#   pulumi config set --secret ${CONFIG_NAMESPACE}:clientSecret`,
    "# and paste the client_secret of the client JSON. Reference: docs/provisioning.md.",
  ];
  await writeFile(stackFile, `${header.join("\n")}\n${YAML.stringify({ config })}`, { mode: 0o644 });
  return { spec: specFile, stackConfig: stackFile };
}

/** The values to enter in the app, and where (the preset's own screens when they are documented). */
export function appInstructions(spec: ConnectionSpec, clientSource: string | undefined): string[] {
  const c = firstClient(spec);
  const preset = c.preset && isPresetName(c.preset) ? PRESETS[c.preset] : undefined;
  const label = preset?.label ?? "the app";
  const lines = [
    `Enter in ${label}:`,
    `  Client ID:      ${c.clientId ?? "(the client_id of the client JSON)"}`,
    `  Client Secret:  the client_secret of ${clientSource ?? "the client JSON"} (never printed here)`,
    `  Redirect URI:   ${c.redirectUris.join(", ")} (${label} builds it itself; it must read exactly so)`,
  ];
  if (preset?.enterCredentials) {
    lines.push(`Where, in ${label}:`);
    preset.enterCredentials.forEach((step, i) => {
      lines.push(`  ${i + 1}. ${step}`);
    });
  } else if (preset) lines.push(`  ${preset.notes}`);
  return lines;
}
