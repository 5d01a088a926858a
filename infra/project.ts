// The Google Cloud project that owns the OAuth clients, with the Gmail API enabled.
import * as organizations from "@pulumi/gcp/organizations";
import * as projects from "@pulumi/gcp/projects";
import * as pulumi from "@pulumi/pulumi";
import { GMAIL_SERVICE } from "../google/endpoints";
import type { ProjectSpec } from "../connection/types";

export interface GmailProjectArgs {
  readonly project: ProjectSpec;
}

export class GmailProject extends pulumi.ComponentResource {
  readonly projectId: pulumi.Output<string>;
  readonly projectNumber: pulumi.Output<string>;
  /** The API enablement; resources that need Gmail enabled depend on it. */
  readonly gmailService: projects.Service;

  constructor(name: string, args: GmailProjectArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gmail-oauth:index:GmailProject", name, { project: args.project }, opts);
    const spec = args.project;
    if (spec.mode === "create") {
      const project = new organizations.Project(
        name,
        {
          projectId: spec.id,
          name: spec.name ?? spec.id,
          orgId: spec.orgId,
          folderId: spec.folderId,
          billingAccount: spec.billingAccount,
          labels: spec.labels ? { ...spec.labels } : undefined,
          // PREVENT makes `pulumi destroy` fail on the project instead of deleting it with its clients and data.
          deletionPolicy: spec.deletionProtection ? "PREVENT" : "DELETE",
        },
        { parent: this },
      );
      this.projectId = project.projectId;
      this.projectNumber = project.number;
    } else {
      // Adopted: read only, so nothing here can modify or delete the project.
      const existing = organizations.getProjectOutput({ projectId: spec.id }, { parent: this });
      this.projectId = existing.apply((p) => p.projectId ?? spec.id);
      this.projectNumber = existing.number;
    }
    this.gmailService = new projects.Service(
      `${name}-gmail`,
      // Turning Gmail off on destroy would break every app still using the clients.
      { project: this.projectId, service: GMAIL_SERVICE, disableOnDestroy: false },
      { parent: this },
    );
    this.registerOutputs({ projectId: this.projectId, projectNumber: this.projectNumber });
  }
}
