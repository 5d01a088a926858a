// Pulumi main (Pulumi.yaml names its build, dist/infra/index.js): each export is a stack output.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isInputError } from "../common/errors";
import { redact } from "../common/redact";
import { staleSource } from "./buildFreshness";
import { provision, type ProvisionOutputs } from "./program";

function run(): ProvisionOutputs {
  // Only the build (dist/infra/index.js) can be stale; run from the sources there is nothing to compare.
  const stale = __filename.endsWith(".js") ? staleSource(join(__dirname, "..", "..")) : undefined;
  if (stale)
    throw new pulumi.RunError(
      `${stale} changed after the last build: run \`npm run build\` (Pulumi runs the compiled program in dist/)`,
    );
  try {
    return provision();
  } catch (err) {
    // A config mistake is the user's to fix: one line per field, no stack trace (RunError hides it).
    if (isInputError(err)) throw new pulumi.RunError(redact(`invalid stack config:\n${err.message}`));
    throw err;
  }
}

const outputs = run();
export const connectionSpec = outputs.connectionSpec;
export const consoleRunbook = outputs.consoleRunbook;
export const projectId = outputs.projectId;
export const projectNumber = outputs.projectNumber;
export const clientSecretName = outputs.clientSecretName;
export const clientSecretNames = outputs.clientSecretNames;
export const serviceAccountUniqueIds = outputs.serviceAccountUniqueIds;
