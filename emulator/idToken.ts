// RS256 id_tokens and their JWKS (/oauth2/v3/certs). The key is made on first use and shared by every emulator in
// the process: most runs never ask for openid, and RSA key generation is the slowest thing the emulator would
// otherwise do.
import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

let shared: { privateKey: KeyObject; jwk: Record<string, unknown>; kid: string } | undefined;

function key() {
  if (!shared) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = randomBytes(20).toString("hex");
    shared = {
      privateKey,
      jwk: { ...createPublicKey(privateKey).export({ format: "jwk" }), kid, alg: "RS256", use: "sig" },
      kid,
    };
  }
  return shared;
}

export function signIdToken(claims: Record<string, unknown>): string {
  const { privateKey, kid } = key();
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${enc({ alg: "RS256", kid, typ: "JWT" })}.${enc(claims)}`;
  return `${input}.${sign("RSA-SHA256", Buffer.from(input), privateKey).toString("base64url")}`;
}

export function jwks(): { keys: Record<string, unknown>[] } {
  return { keys: [key().jwk] };
}
