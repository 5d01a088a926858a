// Who may do the console steps: roles/oauthconfig.editor covers branding, audience, test users and clients
// (facts §9), so nobody needs Owner for them.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

export const OAUTH_CONFIG_EDITOR = "roles/oauthconfig.editor";

export interface OAuthAdminsArgs {
  readonly projectId: pulumi.Input<string>;
  /** IAM principals: user:…, group:…, serviceAccount:…, domain:… */
  readonly members: readonly string[];
}

/** A stable resource name per principal, so reordering the list does not recreate grants. */
export function memberResourceName(prefix: string, member: string): string {
  return `${prefix}-${member
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/-+$/, "")
    .toLowerCase()}`;
}

export class OAuthAdmins extends pulumi.ComponentResource {
  readonly members: readonly gcp.projects.IAMMember[];

  constructor(name: string, args: OAuthAdminsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gmail-oauth:index:OAuthAdmins", name, { members: args.members }, opts);
    this.members = args.members.map(
      (member) =>
        new gcp.projects.IAMMember(
          memberResourceName(name, member),
          { project: args.projectId, role: OAUTH_CONFIG_EDITOR, member },
          { parent: this },
        ),
    );
    this.registerOutputs({ members: args.members });
  }
}
