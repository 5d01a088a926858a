// Stage 4, `pulumi up` again: the client ID and secret from the console go into config, the program stores them in
// Secret Manager, and the person saves the stack outputs and the client JSON.
import { paint } from "../../common/terminal";
import { clientSecretId } from "../../connection/clientSecretFile";
import { CLIENT_FILE, describeSteps, SPEC_FILE } from "../accountsAndFiles";
import type { CreatedClient } from "../console";
import type { StackOutputs } from "../mockEngine";
import { pulumiConfig } from "../stackConfig";
import { expect, stage, type Stage } from "../stages";
import { downloadFiles } from "./files";
import { targetClient, type World } from "./world";

/** The client ID in the client JSON Secret Manager holds, if it holds one. */
function storedClientId(payload: string | undefined): string | undefined {
  if (!payload) return undefined;
  try {
    const file = JSON.parse(payload) as { web?: { client_id?: string }; installed?: { client_id?: string } };
    return file.web?.client_id ?? file.installed?.client_id;
  } catch {
    return undefined;
  }
}

export async function storeCredentials(
  w: World,
  clients: readonly CreatedClient[],
): Promise<{ stage: Stage; outputs: StackOutputs }> {
  const creds = clients.map((c) => ({ name: c.name, clientId: c.clientId, secret: c.secret }));
  const { config, secretKeys } = pulumiConfig(w.stack, creds);
  const up = await w.engine.up(config, secretKeys);
  const client = targetClient(w, clients);
  await downloadFiles(w, up.outputs, client);
  const secretId = clientSecretId(w.target.client.name);
  const storedId = storedClientId(w.engine.secretPayload(secretId));
  const specId = up.outputs.connectionSpec.clients.find((c) => c.name === w.target.client.name)?.clientId;
  const shorthand = w.stack.parsed.singleClientShorthand;
  const pathFlag = shorthand ? "" : " --path";
  const idKey = shorthand ? "gmail-oauth:clientId" : `'gmail-oauth:clients[${w.target.clientIndex}].clientId'`;
  const secretKey = shorthand ? "gmail-oauth:clientSecret" : `'gmail-oauth:clientSecrets.${w.target.client.name}'`;
  return {
    outputs: up.outputs,
    stage: stage(
      "store-credentials",
      "pulumi up again: the client ID and secret go into Secret Manager",
      [
        `$ pulumi config set${pathFlag} ${idKey} ${client.clientId}`,
        `$ pulumi config set --secret${pathFlag} ${secretKey}   ${paint(w.color).dim("(typed at the prompt; never shown)")}`,
        "$ pulumi up",
        "",
        ...describeSteps(up.steps),
        "",
        `  Saved in the work directory ${w.dir} (removed when the sandbox ends):`,
        `    ${SPEC_FILE.padEnd(22)} pulumi stack output --json (no secret in it)`,
        `    ${CLIENT_FILE.padEnd(22)} the client's Download JSON from the console (mode 0600; holds the secret)`,
      ],
      [
        expect(
          `Secret Manager holds ${secretId} for client ${client.clientId}`,
          storedId ? `stored for ${storedId}` : "nothing stored",
          storedId === client.clientId,
        ),
        expect(
          "the connection spec names the client ID",
          specId ?? "no clientId in the spec",
          specId === client.clientId,
        ),
      ],
    ),
  };
}
