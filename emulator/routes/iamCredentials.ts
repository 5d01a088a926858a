// IAM Credentials signJwt (google-behaviour.md §10): POST /v1/projects/-/serviceAccounts/{email}:signJwt with {"payload": "<claims
// JSON>"} signs the claims with the service account's Google-managed key, for a caller holding
// roles/iam.serviceAccountTokenCreator on it. The 403 wording follows the signBlob denial seen in public threads
// (https://github.com/gronxb/hot-updater/issues/291) with signJwt's permission; its details are inferred.
import { signJwtRs256 } from "../../google/domainWideDelegation";
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

/** Inferred wording for a body that is not {"payload": "<JSON object>"}. */
function invalidArgument(message: string): Reply {
  return json(400, { error: { code: 400, message, status: "INVALID_ARGUMENT" } });
}

export class IamCredentials {
  constructor(private readonly store: EmulatorStore) {}

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
