// The sandbox's in-process Pulumi engine: Pulumi's mocks interface, whose resource hooks APPLY each resource to the
// emulator (project with a number, services ENABLED) or record it in this engine's ledger (IAM, Secret Manager: the
// emulator models neither). It runs the real infra/program.ts provision(), the code `pulumi up` runs; no Pulumi CLI.
// A second up() with more config behaves like a second `pulumi up`: resources already applied are "same".
import * as pulumi from "@pulumi/pulumi";
import { waitForRegistrations } from "../infra/pulumiRuntime";
import { refuseDuplicateUrns } from "./uniqueUrns";
import { registerSecret } from "../common/redact";
import type { EmulatorAdmin } from "../emulator";
import { provision } from "../infra/program";
import { RESOURCE_TYPES } from "../connection/resourceTypes";
import { CONFIG_NAMESPACE } from "../connection/parse";
import type { ConnectionSpec } from "../connection/types";

export { RESOURCE_TYPES };
const GET_PROJECT = "gcp:organizations/getProject:getProject";

/** The stack outputs, as `pulumi stack output --json` prints them. None holds a secret. */
export interface StackOutputs {
  readonly connectionSpec: ConnectionSpec;
  readonly consoleRunbook: string;
  readonly projectId: string;
  readonly projectNumber: string;
  readonly clientSecretName?: string;
  readonly clientSecretNames: Record<string, string>;
}

export type StepOp = "create" | "same" | "update" | "read" | "failed";

/** One line of the engine's plan/apply output, like `pulumi up` shows. Never carries a secret value. */
export interface AppliedStep {
  readonly op: StepOp;
  readonly type: string;
  readonly name: string;
  /** What happened in the emulator or the ledger, in words. */
  readonly effect: string;
}

export interface IamGrant {
  /** `project sandbox-gmail-demo` or `secret gmail-oauth-flectra`. */
  readonly on: string;
  readonly role: string;
  readonly member: string;
}

export interface StoredSecret {
  readonly project: string;
  readonly secretId: string;
  versions: number;
}

export interface UpResult {
  readonly outputs: StackOutputs;
  readonly steps: readonly AppliedStep[];
}

type Inputs = Record<string, unknown>;

function isSecretWrapper(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** Secret inputs reach the mocks wrapped (e.g. SecretVersion.secretData); the ledger keeps the plain value. */
function unwrap(v: unknown): unknown {
  return isSecretWrapper(v) ? v.value : v;
}

/** Inputs without secret values, to compare one up() with the next. */
function fingerprint(inputs: Inputs): string {
  return JSON.stringify(inputs, (_k, v: unknown) => (isSecretWrapper(v) ? `[secret:${String(v.value).length}]` : v));
}

function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export class SandboxEngine {
  readonly iam: IamGrant[] = [];
  readonly secrets = new Map<string, StoredSecret>();
  /** Secret id → the latest version's payload (client_secret.json). In memory only, registered with redact(). */
  private readonly payloads = new Map<string, string>();
  private readonly applied = new Map<string, { fingerprint: string; id: string; state: Inputs }>();
  private steps: AppliedStep[] = [];
  private failures: string[] = [];

  constructor(private readonly admin: EmulatorAdmin) {}

  /** The stored client_secret.json of a secret (what `gcloud secrets versions access latest` prints). */
  secretPayload(secretId: string): string | undefined {
    return this.payloads.get(secretId);
  }

  /**
   * One `pulumi up`: stack config (full keys such as `gmail-oauth:project`, structured values as JSON text) and the
   * keys Pulumi holds encrypted. Throws the program's InputErrors for a bad config, or an Error when a resource
   * could not be applied to the emulator.
   */
  async up(config: Record<string, string>, secretKeys: readonly string[] = []): Promise<UpResult> {
    this.steps = [];
    this.failures = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => this.onResource(args.type, args.name, args.inputs as Inputs, args.custom ?? true),
        call: (args) => this.onCall(args.token, args.inputs as Inputs),
      },
      CONFIG_NAMESPACE,
      "sandbox",
      false,
    );
    const urns = refuseDuplicateUrns();
    pulumi.runtime.setAllConfig(config, [...secretKeys]);
    const out = provision();
    // Registrations can land after the outputs resolve; wait for all of them before reading anything.
    await waitForRegistrations();
    urns.check();
    if (this.failures.length > 0) throw new Error(`the engine could not apply: ${this.failures.join("; ")}`);
    const [connectionSpec, consoleRunbook, projectId, projectNumber, clientSecretName, clientSecretNames] =
      await Promise.all([
        outputValue(out.connectionSpec),
        outputValue(out.consoleRunbook),
        outputValue(out.projectId),
        outputValue(out.projectNumber),
        outputValue(out.clientSecretName),
        outputValue(out.clientSecretNames),
      ]);
    const outputs: StackOutputs = {
      connectionSpec,
      consoleRunbook,
      projectId,
      projectNumber,
      ...(clientSecretName ? { clientSecretName } : {}),
      clientSecretNames,
    };
    return { outputs, steps: this.steps };
  }

  // The hooks never throw: a rejected registration leaves Pulumi's outputs pending forever. Failures are collected
  // and reported by up() once every registration is in.
  private onResource(type: string, name: string, inputs: Inputs, custom: boolean): { id: string; state: Inputs } {
    if (!custom) return { id: "", state: {} };
    const key = `${type}::${name}`;
    const print = fingerprint(inputs);
    const previous = this.applied.get(key);
    if (previous && previous.fingerprint === print) {
      this.steps.push({ op: "same", type, name, effect: "unchanged" });
      return { id: previous.id, state: previous.state };
    }
    try {
      const { id, state, effect } = this.apply(type, inputs);
      this.applied.set(key, { fingerprint: print, id, state });
      this.steps.push({ op: previous ? "update" : "create", type, name, effect });
      return { id, state };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.failures.push(`${type} ${name}: ${why}`);
      this.steps.push({ op: "failed", type, name, effect: why });
      return { id: `${name}-failed`, state: inputs };
    }
  }

  private apply(type: string, inputs: Inputs): { id: string; state: Inputs; effect: string } {
    const str = (k: string) => (typeof inputs[k] === "string" ? (inputs[k] as string) : "");
    switch (type) {
      case RESOURCE_TYPES.project: {
        const id = str("projectId");
        // No service enabled yet: the program's Service resources enable them, as in a fresh Google project.
        const existing = this.admin.state().projects.find((p) => p.id === id);
        const project =
          existing ??
          this.admin.addProject({ id, ...(str("orgId") && { organizationId: str("orgId") }), services: [] });
        const parent = str("orgId")
          ? `organization ${str("orgId")}`
          : str("folderId")
            ? `folder ${str("folderId")}`
            : "no parent";
        return {
          id: `projects/${id}`,
          state: { ...inputs, number: project.number },
          effect: `project ${id} ${existing ? "already in the emulator" : "created in the emulator"}, number ${project.number}, under ${parent}`,
        };
      }
      case RESOURCE_TYPES.service: {
        this.admin.setServiceState(str("project"), str("service"), "ENABLED");
        return {
          id: `${str("project")}/${str("service")}`,
          state: inputs,
          effect: `${str("service")} ENABLED in ${str("project")} (emulator Service Usage)`,
        };
      }
      case RESOURCE_TYPES.iamMember:
        this.iam.push({ on: `project ${str("project")}`, role: str("role"), member: str("member") });
        return {
          id: `${str("project")}/${str("role")}/${str("member")}`,
          state: inputs,
          effect: `${str("role")} granted to ${str("member")} (recorded by the sandbox: the emulator has no IAM)`,
        };
      case RESOURCE_TYPES.secret: {
        const id = `projects/${str("project")}/secrets/${str("secretId")}`;
        if (!this.secrets.has(str("secretId")))
          this.secrets.set(str("secretId"), { project: str("project"), secretId: str("secretId"), versions: 0 });
        return {
          id,
          state: { ...inputs, name: id },
          effect: `secret ${str("secretId")} created (recorded by the sandbox: the emulator has no Secret Manager)`,
        };
      }
      case RESOURCE_TYPES.secretVersion: {
        const secretName = str("secret");
        const secretId = secretName.split("/").pop() ?? secretName;
        const payload = unwrap(inputs.secretData);
        const stored = this.secrets.get(secretId);
        if (typeof payload !== "string" || !stored) throw new Error(`no secret ${secretName} to add a version to`);
        registerSecret(payload);
        this.payloads.set(secretId, payload);
        stored.versions += 1;
        return {
          id: `${secretName}/versions/${stored.versions}`,
          state: { ...inputs, version: String(stored.versions) },
          effect: `version ${stored.versions} of ${secretId} stored (${payload.length} bytes, value not shown)`,
        };
      }
      case RESOURCE_TYPES.serviceAccount: {
        const email = `${str("accountId")}@${str("project")}.iam.gserviceaccount.com`;
        const existing = this.admin.state().serviceAccounts.find((s) => s.email === email);
        const sa = existing ?? this.admin.addServiceAccount({ email, displayName: str("displayName") || undefined });
        return {
          id: `projects/${str("project")}/serviceAccounts/${email}`,
          state: {
            ...inputs,
            email,
            uniqueId: sa.uniqueId,
            name: `projects/${str("project")}/serviceAccounts/${email}`,
          },
          effect: `service account ${email} ${existing ? "already in the emulator" : "created in the emulator"}, unique ID ${sa.uniqueId}`,
        };
      }
      case RESOURCE_TYPES.serviceAccountIam: {
        const email = str("serviceAccountId").split("/").pop() ?? "";
        const current = this.admin.state().serviceAccounts.find((s) => s.email === email)?.tokenCreators ?? [];
        if (str("role") === "roles/iam.serviceAccountTokenCreator")
          this.admin.setTokenCreators(email, [...new Set([...current, str("member")])]);
        this.iam.push({ on: `service account ${email}`, role: str("role"), member: str("member") });
        return {
          id: `${email}/${str("role")}/${str("member")}`,
          state: inputs,
          effect: `${str("role")} on ${email} granted to ${str("member")} (emulator IAM Credentials)`,
        };
      }
      case RESOURCE_TYPES.secretIam:
        this.iam.push({ on: `secret ${str("secretId")}`, role: str("role"), member: str("member") });
        return {
          id: `${str("secretId")}/${str("role")}/${str("member")}`,
          state: inputs,
          effect: `${str("role")} on ${str("secretId")} granted to ${str("member")} (recorded by the sandbox)`,
        };
      default:
        return {
          id: `${type}-recorded`,
          state: inputs,
          effect: "recorded only (the sandbox does not model this resource type)",
        };
    }
  }

  /** Adopt mode reads the project: an adopted project exists before `pulumi up`, so the sandbox creates it first. */
  private onCall(token: string, inputs: Inputs): Inputs {
    if (token !== GET_PROJECT) {
      this.failures.push(`unexpected invoke ${token}`);
      return {};
    }
    const id = String(inputs.projectId ?? "");
    const found = this.admin.state().projects.find((p) => p.id === id);
    const project = found ?? this.admin.addProject({ id, services: [] });
    this.steps.push({
      op: "read",
      type: GET_PROJECT,
      name: id,
      effect: `read project ${id} (number ${project.number})${found ? "" : "; the sandbox created it first, standing in for the existing project"}`,
    });
    return { projectId: id, number: project.number, name: id, id: `projects/${id}` };
  }
}
