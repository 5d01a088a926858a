// What the walkthrough and --serve share: the people's Google accounts, the operator's cloud credential, the engine's
// steps in words, and the files a person would have on disk (stack outputs, the client JSON). Named for what it holds
// (it was sandbox/setup.ts, beside setup/, which is `gmail-oauth setup`).
import { emailDomain } from "../google/identifiers";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerSecret } from "../common/redact";
import type { EmulatorAdmin } from "../emulator";
import type { ConnectionSpec } from "../connection/types";
import type { AppliedStep, StackOutputs } from "./mockEngine";

export const SPEC_FILE = "gmail-connection.json";
export const CLIENT_FILE = "client_secret.json";

/**
 * The Google accounts of the people in the spec (test users, the support address, user: admins). They exist
 * before any project does, so the sandbox creates them in the emulator up front, each with a mailbox.
 */
export function addPeople(admin: EmulatorAdmin, spec: ConnectionSpec): string[] {
  const admins = spec.oauthAdmins.filter((m) => m.startsWith("user:")).map((m) => m.slice("user:".length));
  const emails = [
    ...new Set([...spec.audience.testUsers, spec.branding.supportEmail, ...admins].map((e) => e.toLowerCase())),
  ];
  const known = new Set(admin.state().accounts.map((a) => a.email.toLowerCase()));
  for (const email of emails) {
    if (known.has(email)) continue;
    const domain = emailDomain(email);
    admin.addAccount({
      email,
      ...(spec.organizationDomain && domain === spec.organizationDomain ? { orgDomain: domain } : {}),
    });
  }
  return emails;
}

/**
 * The operator's cloud credential (what `gcloud auth print-access-token` gives): the validator reads the Gmail
 * API's state in Service Usage with it. Registered with redact() like every token.
 */
export function addOperatorCredential(admin: EmulatorAdmin, projectId: string): string {
  const token = `ya29.sandbox-${randomBytes(24).toString("base64url")}`;
  registerSecret(token);
  admin.addCloudCredential(token, { projects: [projectId], canEnable: true });
  return token;
}

const OP_MARK: Record<AppliedStep["op"], string> = { create: "+", update: "~", same: "=", read: ">", failed: "✖" };

/** The engine's steps as `pulumi up` lists them: one line each, with what happened in the emulator. */
export function describeSteps(steps: readonly AppliedStep[]): string[] {
  const width = Math.max(0, ...steps.map((s) => s.type.length));
  return steps.map((s) => `  ${OP_MARK[s.op]} ${s.type.padEnd(width)}  ${s.name}: ${s.effect}`);
}

/** `pulumi stack output --json`: what `validate --spec` reads. */
export function stackOutputsJson(outputs: StackOutputs): string {
  return `${JSON.stringify(outputs, null, 2)}\n`;
}

/** A private working directory (mkdtemp makes it 0700) for the files a person would have on disk. */
export function makeWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "gmail-oauth-sandbox-"));
}

export function removeWorkDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Files that may hold a secret are written 0600 from the start. */
export function writePrivate(file: string, text: string): Promise<void> {
  return writeFile(file, text, { mode: 0o600 });
}
