// The JSON Schemas the package ships for editors (schemas/): generated from the zod schemas, current, and accepting
// the examples the package ships and documents, as a standard JSON Schema validator (ajv) reads them. Each example is
// also read by the kit's own reader, so the schema and the reader agree on it.
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { parseConnectionSpec, readStackConfig } from "../../connection/parse";
import { SCHEMA_FILES } from "../../connection/schemaFiles";
import { parseScenario } from "../../emulator/inputReaders";
import { schemaDocuments, schemaText } from "../../scripts/generate-schemas";
import { parseFleetFile } from "../../validator/fleet/fleetFile";

const ROOT = path.resolve(__dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const shipped = (name: keyof typeof SCHEMA_FILES) => JSON.parse(read(`schemas/${SCHEMA_FILES[name]}`)) as object;

/** The YAML code blocks of a doc that hold `key` at the top level. */
function yamlBlocks(doc: string, key: string): unknown[] {
  return [...read(doc).matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((m) => YAML.parse(m[1]!) as unknown)
    .filter((v) => typeof v === "object" && v !== null && !Array.isArray(v) && key in v);
}

function validator(name: keyof typeof SCHEMA_FILES) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  return ajv.compile(shipped(name));
}

function problems(name: keyof typeof SCHEMA_FILES, doc: unknown): string[] {
  const validate = validator(name);
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("the shipped JSON Schemas", () => {
  it("are the zod schemas' current export (run `npm run schemas` after changing one)", () => {
    for (const [file, doc] of Object.entries(schemaDocuments()))
      expect(read(`schemas/${file}`), file).toBe(schemaText(doc));
  });

  it("accept Pulumi.example.yaml and the sandbox's stack, which the stack reader accepts too", () => {
    for (const file of ["Pulumi.example.yaml", "sandbox/stack.example.yaml"]) {
      const doc = YAML.parse(read(file)) as { config: Record<string, unknown> };
      expect(problems("stackConfig", doc), file).toEqual([]);
      const values = Object.fromEntries(
        Object.entries(doc.config).map(([k, v]) => [k.replace(/^gmail-oauth:/, ""), v]),
      );
      expect(() => readStackConfig(values), file).not.toThrow();
    }
  });

  it("refuse a misspelt key and a wrong type in a stack file, and leave other namespaces to Pulumi", () => {
    const doc = YAML.parse(read("Pulumi.example.yaml")) as { config: Record<string, unknown> };
    expect(problems("stackConfig", { config: { ...doc.config, "gcp:project": "x" } })).toEqual([]);
    expect(problems("stackConfig", { config: { ...doc.config, "gmail-oauth:projcet": {} } })).not.toEqual([]);
    expect(problems("stackConfig", { config: { ...doc.config, "gmail-oauth:scopes": "x" } })).not.toEqual([]);
  });

  it("accept a spec file: the spec of Pulumi.example.yaml, bare with $schema, and as stack output", () => {
    const doc = YAML.parse(read("Pulumi.example.yaml")) as { config: Record<string, unknown> };
    const values = Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.replace(/^gmail-oauth:/, ""), v]));
    const spec = JSON.parse(JSON.stringify(readStackConfig(values).spec)) as Record<string, unknown>;
    for (const file of [
      { $schema: "x", ...spec },
      { connectionSpec: spec, projectNumber: "1" },
    ]) {
      expect(problems("connectionSpec", file)).toEqual([]);
      expect(() => parseConnectionSpec(file, "spec.json")).not.toThrow();
    }
    expect(problems("connectionSpec", { ...spec, clients: "x" })).not.toEqual([]);
  });

  it("accept the fleet file of docs/fleet.md, which the fleet reader accepts too", () => {
    const blocks = yamlBlocks("docs/fleet.md", "connections");
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(problems("fleet", block)).toEqual([]);
      expect(() => parseFleetFile(JSON.stringify(block), "fleet.yaml")).not.toThrow();
    }
    expect(problems("fleet", { connections: [{ name: "a", acount: "x" }] })).not.toEqual([]);
  });

  it("accept the scenario of docs/emulator.md, which the emulator reads too", () => {
    const blocks = yamlBlocks("docs/emulator.md", "projects");
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) {
      expect(problems("scenario", block)).toEqual([]);
      expect(() => parseScenario(block)).not.toThrow();
    }
    expect(problems("scenario", { projects: [{ id: "x", colour: "red" }] })).not.toEqual([]);
  });
});
