// Property tests for the spec parser (issue 8 §2; the authError codec's and the redirect URI rules' live in
// test/google): whatever it is given, it returns a spec or throws InputError(s) naming a field; a valid spec read back
// from its own JSON (bare, under connectionSpec, or as the JSON string Pulumi sometimes exports) is the same spec.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { InputError, InputErrors } from "../../common/errors";
import { forgetSecrets } from "../../common/redact";
import { CONFIG_KEYS, parseConnectionSpec, parseStackConfig } from "../../connection/parse";
import { PRESETS, type PresetName } from "../../connection/presets";
import type { ConnectionSpec } from "../../connection/types";

afterAll(() => forgetSecrets());

const SOURCE = "stack.json";

/** Calls fn; returns "ok", or the InputError(s) it threw; anything else thrown fails the property. */
function onlyInputErrors(fn: () => unknown): "ok" | InputError | InputErrors {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (e instanceof InputError || e instanceof InputErrors) return e;
    throw new Error(`threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}, not an InputError`);
  }
}

function fieldsOf(e: InputError | InputErrors): InputError[] {
  return e instanceof InputErrors ? [...e.errors] : [e];
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const domain = fc.tuple(label, fc.constantFrom("com", "org", "net", "io", "co.uk")).map(([a, b]) => `${a}.${b}`);
const email = (d: fc.Arbitrary<string>) =>
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,11}[a-z0-9]$/), d).map(([l, dd]) => `${l}@${dd}`);
const projectId = fc.stringMatching(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
const appName = fc.stringMatching(/^[A-Z][A-Za-z0-9 ]{0,20}[a-z0-9]$/);
const presetName = fc.constantFrom<PresetName>(
  ...(Object.keys(PRESETS) as PresetName[]).filter((p) => PRESETS[p].callbackPath !== undefined),
);

/** Stack config a team could write: a project, branding, audience and one preset client. */
const validConfig = fc.record({
  project: fc.record({ id: projectId }),
  branding: fc.record({ appName, supportEmail: email(domain) }),
  audience: fc.record({
    publishingStatus: fc.constantFrom("testing", "production"),
    testUsers: fc.uniqueArray(email(domain), { minLength: 1, maxLength: 5 }),
  }),
  preset: presetName,
  instanceUrl: fc.tuple(label, domain).map(([sub, d]) => `https://${sub}.${d}`),
});

describe("parseConnectionSpec", () => {
  it("a spec the program wrote reads back to itself, bare, under connectionSpec, and as a JSON string", () => {
    fc.assert(
      fc.property(validConfig, (config) => {
        const spec: ConnectionSpec = parseStackConfig(config);
        const text = JSON.stringify(spec);
        expect(parseConnectionSpec(JSON.parse(text), SOURCE)).toEqual(spec);
        expect(parseConnectionSpec({ connectionSpec: JSON.parse(text), clientSecret: "[secret]" }, SOURCE)).toEqual(
          spec,
        );
        expect(parseConnectionSpec({ connectionSpec: text }, SOURCE)).toEqual(spec);
        const withNumber = { ...spec, project: { ...spec.project, number: "424242424242" } };
        expect(parseConnectionSpec(JSON.parse(JSON.stringify(withNumber)), SOURCE)).toEqual(withNumber);
      }),
      { numRuns: 150 },
    );
  });

  it("anything at all: a spec or InputError(s), never another exception", () => {
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
        }),
        (value) => {
          for (const input of [value, { connectionSpec: value }]) {
            const r = onlyInputErrors(() => parseConnectionSpec(input, SOURCE));
            if (r !== "ok") for (const e of fieldsOf(r)) expect(e.field.startsWith(SOURCE), e.message).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a valid spec with one value replaced by anything: a spec or InputError(s) naming a field of the file", () => {
    const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof v === "object" && v !== null
        ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, Array.isArray(v) ? Number(k) : k]))]
        : [at];
    fc.assert(
      fc.property(
        validConfig,
        fc.nat(),
        fc.option(fc.anything(), { nil: undefined }),
        fc.boolean(),
        (config, pick, replacement, wrap) => {
          const spec = JSON.parse(JSON.stringify(parseStackConfig(config))) as Record<string, unknown>;
          const all = paths(spec).filter((p) => p.length > 0);
          const path = all[pick % all.length]!;
          let parent: Record<string | number, unknown> = spec;
          for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
          const last = path[path.length - 1]!;
          if (replacement === undefined) delete parent[last];
          else parent[last] = replacement;
          const r = onlyInputErrors(() => parseConnectionSpec(wrap ? { connectionSpec: spec } : spec, SOURCE));
          if (r !== "ok")
            for (const e of fieldsOf(r))
              expect(e.field, e.message).toMatch(new RegExp(`^${SOURCE.replace(".", "\\.")}(:|$)`));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("parseStackConfig", () => {
  it("any config values: a spec or InputErrors naming gmail-oauth:KEY, never another exception", () => {
    const value = fc.oneof(fc.anything(), fc.json(), fc.string());
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...CONFIG_KEYS, "typo", "projcet"), value, { maxKeys: 8 }),
        (values) => {
          const r = onlyInputErrors(() => parseStackConfig(values));
          if (r !== "ok") for (const e of fieldsOf(r)) expect(e.field, e.message).toMatch(/^gmail-oauth:/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
