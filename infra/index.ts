// Pulumi main (Pulumi.yaml names this file): each export is a stack output.
import * as pulumi from "@pulumi/pulumi";
import { isInputError } from "../common/errors";
import { redact } from "../common/redact";
import { provision, type ProvisionOutputs } from "./program";

function run(): ProvisionOutputs {
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
