// IAM Credentials signJwt (google-behaviour.md §10): POST /v1/projects/-/serviceAccounts/{email}:signJwt with {"payload": "<claims
// JSON>"} signs the claims with the service account's Google-managed key, for a caller holding
// roles/iam.serviceAccountTokenCreator on it. The 403 wording follows the signBlob denial seen in public threads
// (https://github.com/gronxb/hot-updater/issues/291) with signJwt's permission; its details are inferred.
// Also IAM's projects.serviceAccounts.get (GET /v1/projects/{project}/serviceAccounts/{email}), the call that gives
// the unique ID delegation names (google-behaviour.md §10).
import { signJwtRs256 } from "../../google/domainWideDelegation";
import { SERVICE_ACCOUNT_EMAIL } from "../../google/identifiers";
import type { EmulatorStore } from "../store";
import { invalidCredentials } from "./googleApis";
import { json, type Reply, type RequestContext } from "./handler";

const SIGN_JWT_PERMISSION = "iam.serviceAccounts.signJwt";

function permissionDenied(): Reply {
  return json(403, {
    error: {
      code: 403,
      message: `Permission '${SIGN_JWT_PERMISSION}' denied on resource (or it may not exist).`,
      status: "PERMISSION_DENIED",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "IAM_PERMISSION_DENIED",
          domain: "iam.googleapis.com",
          metadata: { permission: SIGN_JWT_PERMISSION },
        },
      ],
    },
  });
}

const GET_PERMISSION = "iam.serviceAccounts.get";

/**
 * 403 for a caller without iam.serviceAccounts.get on the project. The wording and the legacy errors[] are as gcloud
 * and Terraform print the refusal (terraform-provider-google#11068, sethvargo/vault-on-gke#33).
 */
function getDenied(name: string): Reply {
  const message = `Permission ${GET_PERMISSION} is required to perform this operation on service account ${name}.`;
  return json(403, {
    error: {
      code: 403,
      message,
      errors: [{ message, domain: "global", reason: "forbidden" }],
      status: "PERMISSION_DENIED",
    },
  });
}

/**
 * 404 for an account the project does not have (deleted, or never made). "Unknown service account" is gcloud's
 * wording for it (widely reported); the errors[] shape is IAM's 404 seen in terraform-provider-google#9249.
 */
function unknownServiceAccount(): Reply {
  const message = "Unknown service account";
  return json(404, {
    error: { code: 404, message, errors: [{ message, domain: "global", reason: "notFound" }], status: "NOT_FOUND" },
  });
}

/** Inferred wording for a body that is not {"payload": "<JSON object>"}. */
function invalidArgument(message: string): Reply {
  return json(400, { error: { code: 400, message, status: "INVALID_ARGUMENT" } });
}

export class IamCredentials {
  constructor(private readonly store: EmulatorStore) {}

  /**
   * projects.serviceAccounts.get. Who may read it is inferred: a credential that may read the project (its
   * `projects`, as a Viewer holds iam.serviceAccounts.get there). `-` as the project is resolved from the email, as
   * Google documents. A caller who may not read the project gets 403 whether or not the account exists.
   */
  getServiceAccount(ctx: RequestContext): Reply {
    const h = ctx.headers.authorization;
    const token = typeof h === "string" ? /^Bearer\s+(\S+)$/i.exec(h)?.[1] : undefined;
    const cred = token ? this.store.records.findCredential(token) : undefined;
    if (!cred) return invalidCredentials();
    const projectRef = decodeURIComponent(ctx.path[0] ?? "");
    const ref = decodeURIComponent(ctx.path[1] ?? "");
    const name = `projects/${projectRef}/serviceAccounts/${ref}`;
    const sa = this.store.serviceAccounts.find(ref);
    const projectId =
      projectRef === "-" ? (sa?.projectId ?? SERVICE_ACCOUNT_EMAIL.exec(ref.toLowerCase())?.[2]) : projectRef;
    const project = projectId ? this.store.records.findProject(projectId) : undefined;
    if (!project || !cred.projects.includes(project.id)) return getDenied(name);
    if (!sa || sa.projectId !== project.id) return unknownServiceAccount();
    return json(200, {
      name: `projects/${sa.projectId}/serviceAccounts/${sa.email}`,
      projectId: sa.projectId,
      uniqueId: sa.uniqueId,
      email: sa.email,
      ...(sa.displayName ? { displayName: sa.displayName } : {}),
      etag: Buffer.from(`${sa.uniqueId}:${sa.disabled}`).toString("base64").slice(0, 12),
      oauth2ClientId: sa.uniqueId,
      ...(sa.disabled ? { disabled: true } : {}),
    });
  }

  signJwt(ctx: RequestContext): Reply {
    const h = ctx.headers.authorization;
    const token = typeof h === "string" ? /^Bearer\s+(\S+)$/i.exec(h)?.[1] : undefined;
    const cred = token ? this.store.records.findCredential(token) : undefined;
    if (!cred) return invalidCredentials();
    const ref = decodeURIComponent(ctx.path[0] ?? "");
    const sa = this.store.serviceAccounts.find(ref);
    // A service account that does not exist and one the caller may not use answer alike ("or it may not exist").
    if (!sa || sa.disabled || !cred.principal || !sa.tokenCreators.has(cred.principal)) return permissionDenied();
    let payload: unknown;
    try {
      payload = JSON.parse(JSON.parse(ctx.body || "{}").payload ?? "");
    } catch {
      return invalidArgument("Invalid JSON payload: payload must be a JSON object serialized as a string.");
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload))
      return invalidArgument("Invalid JSON payload: payload must be a JSON object serialized as a string.");
    const key = this.store.serviceAccounts.managedKey(sa);
    return json(200, { keyId: key.id, signedJwt: signJwtRs256(payload, key.privateKey!, key.id) });
  }
}
