// Stage 6, the fixes in the console: the mailbox added as a test user, the redirect URI corrected, the client JSON
// downloaded again.
import { CLIENT_FILE } from "../accountsAndFiles";
import { addTestUser, replaceRedirectUri, type CreatedClient } from "../console";
import type { StackOutputs } from "../mockEngine";
import { expect, stage, type Stage } from "../stages";
import { downloadFiles } from "./files";
import { actionLines, emulatorClient, emulatorProject, targetClient, type World } from "./world";

export async function fix(w: World, outputs: StackOutputs, clients: readonly CreatedClient[]): Promise<Stage> {
  const { spec } = w.stack.parsed;
  const client = targetClient(w, clients);
  const actions = [
    addTestUser(w.emu.admin, spec, w.target.mailbox),
    replaceRedirectUri(
      w.emu.admin,
      spec.project.id,
      client.clientId,
      `${w.target.appRedirectUri}/`,
      w.target.appRedirectUri,
    ),
  ];
  await downloadFiles(w, outputs, client);
  const project = emulatorProject(w);
  const registered = emulatorClient(w, client.clientId)?.redirectUris ?? [];
  return stage(
    "fix",
    "The fixes, in the console",
    [...actionLines(actions, w.color), `  • Downloaded the client JSON again (${CLIENT_FILE})`],
    [
      expect(
        `${w.target.mailbox} is a test user`,
        `test users: ${project?.testUsers.join(", ") || "none"}`,
        (project?.testUsers ?? []).includes(w.target.mailbox),
      ),
      expect(
        `${w.target.appRedirectUri} registered exactly`,
        `registered: ${registered.join(", ")}`,
        registered.includes(w.target.appRedirectUri) && !registered.includes(`${w.target.appRedirectUri}/`),
      ),
    ],
  );
}
