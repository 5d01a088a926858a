const t0 = Date.now();
import * as pulumi from "@pulumi/pulumi";
const t1 = Date.now();
import * as gcp from "@pulumi/gcp";
console.log("pulumi", t1 - t0);
const t2 = Date.now();
void gcp.organizations.Project; void gcp.projects.Service; void gcp.secretmanager.Secret;
console.log("gcp touch", Date.now() - t2);
