// Where the JSON Schemas the package ships (schemas/, generated from the zod schemas by scripts/generate-schemas.ts)
// can be found by an editor: `$schema` in a spec file setup writes, the `yaml-language-server` line of a stack file.
// unpkg serves any file of a published npm package; the unversioned address follows the latest release, which reads
// every file an older release wrote (a new key is only ever added).
export const SCHEMA_FILES = {
  stackConfig: "stack-config.schema.json",
  connectionSpec: "connection-spec.schema.json",
  fleet: "fleet.schema.json",
  scenario: "emulator-scenario.schema.json",
} as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

export function schemaUrl(name: SchemaName): string {
  return `https://unpkg.com/gmail-connection-kit/schemas/${SCHEMA_FILES[name]}`;
}
