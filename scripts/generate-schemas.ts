// Writes the JSON Schemas the package ships for editors (schemas/*.json) from the zod schemas that define each input
// (connection/schema.ts, validator/fleet/fleetFile.ts, emulator/schema.ts). The files are committed so a reader sees
// them; test/package/schemas.test.ts fails while one is stale. Run: node dist/scripts/generate-schemas.js (after a build).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { CONFIG_NAMESPACE } from "../connection/parse";
import { SCHEMA_FILES, type SchemaName } from "../connection/schemaFiles";
import { specFileSchema, stackConfigSchema } from "../connection/schema";
import { scenarioSchema } from "../emulator/schema";
import { fleetFileSchema } from "../validator/fleet/fleetFile";

type Json = Record<string, unknown>;

const jsonSchema = (schema: z.ZodType): Json => z.toJSONSchema(schema, { io: "input" }) as Json;

/** A value `pulumi config set --secret` wrote: `{secure: …}` in the stack file. */
const SECURE = { type: "object", properties: { secure: { type: "string" } }, required: ["secure"] };

/**
 * Pulumi.<stack>.yaml: the kit's keys under `config`, namespaced (`gmail-oauth:project`), secrets as Pulumi stores
 * them; other namespaces' keys and Pulumi's own top-level keys are left to Pulumi.
 */
function stackFileSchema(): Json {
  const config = jsonSchema(stackConfigSchema) as { properties: Record<string, Json>; description?: string };
  const properties: Record<string, Json> = {};
  for (const [key, value] of Object.entries(config.properties)) properties[`${CONFIG_NAMESPACE}:${key}`] = value;
  properties[`${CONFIG_NAMESPACE}:clientSecret`] = { anyOf: [{ type: "string" }, SECURE] };
  properties[`${CONFIG_NAMESPACE}:clientSecrets`] = {
    type: "object",
    additionalProperties: { anyOf: [{ type: "string" }, SECURE] },
  };
  const known = Object.keys(properties);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Pulumi.<stack>.yaml of gmail-connection-kit",
    type: "object",
    properties: {
      config: {
        type: "object",
        properties,
        required: [`${CONFIG_NAMESPACE}:project`, `${CONFIG_NAMESPACE}:branding`],
        // A misspelt gmail-oauth key is flagged; keys of other namespaces (gcp:project, …) are Pulumi's.
        propertyNames: { anyOf: [{ enum: known }, { not: { pattern: `^${CONFIG_NAMESPACE}:` } }] },
      },
    },
  };
}

/** Every shipped schema, by file name. */
export function schemaDocuments(): Record<string, Json> {
  const titled = (title: string, doc: Json): Json => ({ ...doc, title });
  const docs: Record<SchemaName, Json> = {
    stackConfig: stackFileSchema(),
    connectionSpec: titled("gmail-connection-kit connection spec", jsonSchema(specFileSchema)),
    fleet: titled("gmail-oauth fleet file", jsonSchema(fleetFileSchema)),
    scenario: titled("gmail-oauth emulator scenario", jsonSchema(scenarioSchema)),
  };
  return Object.fromEntries(Object.entries(docs).map(([name, doc]) => [SCHEMA_FILES[name as SchemaName], doc]));
}

/** One line per file: the package ships them within its size budget, and editors read them the same way. */
export function schemaText(doc: Json): string {
  return `${JSON.stringify(doc)}\n`;
}

if (require.main === module) {
  const dir = join(process.cwd(), "schemas");
  mkdirSync(dir, { recursive: true });
  for (const [file, doc] of Object.entries(schemaDocuments())) writeFileSync(join(dir, file), schemaText(doc));
}
