// Who may do the console steps: roles/oauthconfig.editor covers branding, audience, test users and clients
// (google-behaviour.md §9), so nobody needs Owner for them.
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

export const OAUTH_CONFIG_EDITOR = "roles/oauthconfig.editor";

export interface OAuthAdminsArgs {
  readonly projectId: pulumi.Input<string>;
  /** IAM principals: user:…, group:…, serviceAccount:…, domain:… */
  readonly members: readonly string[];
}

/** The readable part of a principal's resource name (before issue 14 it was the whole name): lossy, so not unique. */
function memberSlug(member: string): string {
  return member
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/-+$/, "")
    .toLowerCase();
}

/**
 * A stable resource name per principal, so reordering the list does not recreate grants. The readable slug maps
 * `user:a.b@acme.com` and `user:a-b@acme.com` alike, so a hash of the exact principal follows it: distinct
 * principals get distinct names (and URNs), which `pulumi up` requires (issue 14 §3).
 */
export function memberResourceName(prefix: string, member: string): string {
  return `${prefix}-${memberSlug(member)}-${createHash("sha256").update(member).digest("hex").slice(0, 8)}`;
}

/**
 * The name a grant had before the hash suffix, as an alias so that existing stacks rename it in place instead of
 * replacing it (a replacement would drop the role for a moment). Only where that old name was unambiguous.
 */
function previousName(prefix: string, member: string, members: readonly string[]): string | undefined {
  const slug = memberSlug(member);
  return members.filter((m) => memberSlug(m) === slug).length === 1 ? `${prefix}-${slug}` : undefined;
}

export class OAuthAdmins extends pulumi.ComponentResource {
  readonly members: readonly projects.IAMMember[];

  constructor(name: string, args: OAuthAdminsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gmail-oauth:index:OAuthAdmins", name, { members: args.members }, opts);
    this.members = args.members.map((member) => {
      const previous = previousName(name, member, args.members);
      return new projects.IAMMember(
        memberResourceName(name, member),
        { project: args.projectId, role: OAUTH_CONFIG_EDITOR, member },
        { parent: this, ...(previous ? { aliases: [{ name: previous }] } : {}) },
      );
    });
    this.registerOutputs({ members: args.members });
  }
}
