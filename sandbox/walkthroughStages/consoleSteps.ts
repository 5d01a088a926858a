// Stage 3: the console steps through the emulator's admin API, two of them wrong on purpose; the operator's gcloud
// sign-in becomes a cloud token in the emulator.
import { addOperatorCredential } from "../accountsAndFiles";
import { configureConsentScreen, createClients, type CreatedClient } from "../console";
import type { StackOutputs } from "../mockEngine";
import { expect, stage, type Stage } from "../stages";
import { actionLines, emulatorClient, emulatorProject, type World } from "./world";

export function consoleSteps(
  w: World,
  outputs: StackOutputs,
): { stage: Stage; clients: readonly CreatedClient[]; cloudToken: string } {
  const { spec } = w.stack.parsed;
  const mistakes = { forgetTestUser: w.target.mailbox, trailingSlashOnClient: w.target.client.name };
  const actions = configureConsentScreen(w.emu.admin, spec, mistakes);
  const created = createClients(
    w.emu.admin,
    spec,
    outputs.projectNumber,
    { [w.target.client.name]: [w.loopback] },
    mistakes,
  );
  const clients = created.clients;
  actions.push(...created.actions);
  const cloudToken = addOperatorCredential(w.emu.admin, spec.project.id);
  const project = emulatorProject(w);
  const target = clients.find((c) => c.name === w.target.client.name);
  const registered = (target && emulatorClient(w, target.clientId)?.redirectUris) ?? [];
  const c = w.target.client;
  return {
    clients,
    cloudToken,
    stage: stage(
      "console",
      "The console steps, done through the emulator's admin API (two of them wrong on purpose)",
      [
        ...actionLines(actions, w.color),
        `  • The operator is signed in to gcloud (a cloud token for ${spec.project.id} in the emulator, used by validate to read the Gmail API's state)`,
      ],
      [
        expect(
          `${w.target.mailbox} left out of the test users`,
          `test users: ${project?.testUsers.join(", ") || "none"}`,
          !(project?.testUsers ?? []).includes(w.target.mailbox),
        ),
        expect(
          `${w.target.appRedirectUri}/ registered instead of ${w.target.appRedirectUri}`,
          `registered: ${registered.join(", ")}`,
          registered.includes(`${w.target.appRedirectUri}/`) && !registered.includes(w.target.appRedirectUri),
        ),
        expect(
          `the loopback redirect ${w.loopback} registered for the validator's flow`,
          registered.includes(w.loopback) ? "registered" : "not registered",
          registered.includes(w.loopback),
        ),
        expect(
          "a client ID generated for every client",
          `${clients.length} of ${spec.clients.length} (${c.name}: ${target?.clientId ?? "none"})`,
          clients.length === spec.clients.length,
        ),
      ],
    ),
  };
}
