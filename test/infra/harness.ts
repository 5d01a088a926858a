// Runs the Pulumi program under mocks, loading it through the `main` that Pulumi.yaml names, and records every
// resource with its inputs. Pulumi's mocks are process-global, so each run resets the program's modules first.
import { waitForRegistrations } from "../../infra/pulumiRuntime";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { RESOURCE_TYPES } from "../../connection/resourceTypes";
import { refuseDuplicateUrns, type UrnLedger } from "../../sandbox/uniqueUrns";

export const ROOT = path.resolve(__dirname, "../..");
export const NAMESPACE = "gmail-oauth";

export interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly custom: boolean;
}

export interface MockOptions {
  /** Project number the mocked Google returns, for created and adopted projects. */
  readonly projectNumber?: string;
}

/** The main module Pulumi runs, from Pulumi.yaml (a directory main means its index). */
export function pulumiMain(): string {
  const doc = parseYaml(readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { main?: string; name?: string };
  const main = path.resolve(ROOT, doc.main ?? ".");
  return /\.[cm]?[jt]s$/.test(main) ? main : path.join(main, "index.js");
}

/** The TypeScript source of that main, which the tests load: main names the build in dist/ (Pulumi.yaml). */
export function pulumiMainSource(): string {
  const rel = path.relative(path.join(ROOT, "dist"), pulumiMain());
  if (rel.startsWith("..")) return pulumiMain();
  return path.join(ROOT, rel.replace(/\.js$/, ".ts"));
}

/** The URN ledger of the mocks installed last: settle() fails on a duplicate URN as `pulumi up` would. */
let urns: UrnLedger | undefined;

export async function installMocks(
  config: Record<string, unknown>,
  secretKeys: readonly string[] = [],
  options: MockOptions = {},
): Promise<Recorded[]> {
  const recorded: Recorded[] = [];
  const number = options.projectNumber ?? "123456789012";
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs, custom: args.custom ?? true });
        const state: Record<string, unknown> = { ...args.inputs };
        let id = `${args.name}_id`;
        if (args.type === "gcp:organizations/project:Project") {
          state.number = number;
          id = `projects/${args.inputs.projectId}`;
        }
        if (args.type === "gcp:serviceaccount/account:Account") {
          // Google assigns the email and the 21-digit unique ID (google-behaviour.md §10).
          state.email = `${args.inputs.accountId}@${args.inputs.project}.iam.gserviceaccount.com`;
          state.name = `projects/${args.inputs.project}/serviceAccounts/${state.email}`;
          state.uniqueId = `1${String(args.inputs.accountId).length}`.padEnd(21, "7");
        }
        if (args.type === "gcp:serviceaccount/key:Key")
          state.privateKey = Buffer.from(
            '{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\nMOCK\\n-----END PRIVATE KEY-----\\n"}',
          ).toString("base64");
        if (args.type === "gcp:secretmanager/secret:Secret")
          id = `projects/${args.inputs.project}/secrets/${args.inputs.secretId}`;
        return { id, state };
      },
      call(args) {
        if (args.token === "gcp:organizations/getProject:getProject")
          return {
            projectId: args.inputs.projectId,
            number,
            name: args.inputs.projectId,
            id: `projects/${args.inputs.projectId}`,
          };
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    NAMESPACE,
    "test",
    false,
  );
  urns = refuseDuplicateUrns();
  const full: Record<string, string> = {};
  for (const [k, v] of Object.entries(config))
    if (v !== undefined) full[`${NAMESPACE}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  pulumi.runtime.setAllConfig(
    full,
    secretKeys.map((k) => `${NAMESPACE}:${k}`),
  );
  return recorded;
}

/** Loads the program through Pulumi.yaml's main (its source) under fresh mocks; returns its exports (the stack outputs). */
export async function runProgram(
  config: Record<string, unknown>,
  secretKeys: readonly string[] = [],
  options: MockOptions = {},
) {
  vi.resetModules();
  const recorded = await installMocks(config, secretKeys, options);
  const outputs = (await import(pulumiMainSource())) as Record<string, pulumi.Output<unknown>>;
  // Resolving every output waits for every resource the program registered.
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs)) if (pulumi.Output.isInstance(v)) values[k] = await outputValue(v);
  await settle();
  return {
    outputs,
    values,
    resources: recorded.filter((r) => r.custom),
    components: recorded.filter((r) => !r.custom),
  };
}

/**
 * Waits until every registration the program started has reached the mocks. Outputs can resolve before resources
 * they do not depend on, and a late registration would land in the next test's mocks. waitForRPCs is exported by
 * the runtime but not typed.
 */
export async function settle(): Promise<void> {
  await waitForRegistrations();
  urns?.check();
}

export function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

// How a secret input reaches the engine (and the mocks): wrapped under Pulumi's secret signature.
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

export function unwrapSecret(v: unknown): string {
  if (!isSecretValue(v)) throw new Error("expected a secret input");
  return (v as { value: string }).value;
}

export function ofType(resources: readonly Recorded[], type: string): Recorded[] {
  return resources.filter((r) => r.type === type);
}

/** A minimal valid Flectra stack; tests override what they exercise. */
export function flectraConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    project: { id: "acme-gmail-test", orgId: "123456789012" },
    branding: { appName: "Acme Mail", supportEmail: "it@acme.com" },
    audience: { testUsers: ["ana@acme.com", "bo@acme.com"] },
    preset: "flectra",
    instanceUrl: "https://mydb.flectra.com",
    ...overrides,
  };
}

export const T = RESOURCE_TYPES;
