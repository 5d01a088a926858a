// Stage 10, domain-wide delegation with one scope forgotten (google-behaviour.md §10): validate --service-account
// names the failing rows and gives the one prefilled admin-console link that fixes them.
import { EXIT } from "../../common/errors";
import { dwdPrefilledLink } from "../../google/domainWideDelegation";
import { emailDomain } from "../../google/identifiers";
import { expect, expectDiagnoses, expectExit, stage, type Stage } from "../stages";
import { APP_ENV_NOTE, appCredential, delegated, domainsOf, kitAsApp, noDelegationStage } from "./delegation";
import { commandLines, type World } from "./world";

export async function delegationBroken(w: World): Promise<{ stage: Stage; appToken?: string }> {
  const id = "dwd-validate-broken";
  const title = "Domain-wide delegation with one scope forgotten: validate names it and gives the prefilled link";
  const d = delegated(w);
  const forgotten = d?.scopes[d.scopes.length - 1];
  if (!d || forgotten === undefined) return { stage: noDelegationStage(id, title) };
  const domains = domainsOf(d.mailboxes);
  // The Workspace directory: the mailboxes are users of the organization's domain.
  const known = new Set(w.emu.admin.state().accounts.map((a) => a.email));
  for (const m of d.mailboxes) if (!known.has(m)) w.emu.admin.addAccount({ email: m, orgDomain: emailDomain(m) });
  const typed = d.scopes.filter((s) => s !== forgotten);
  for (const domain of domains) w.emu.admin.setDelegation({ domain, clientId: d.uniqueId, scopes: typed });
  const appToken = appCredential(w);
  const run = await kitAsApp(w, appToken, d.email);
  const failing = (run.report?.checks ?? []).filter((c) => c.status === "fail");
  const links = [...new Set(failing.flatMap((c) => c.links ?? []))];
  return {
    appToken,
    stage: stage(
      id,
      title,
      [
        `  The Workspace admin added Client ID ${d.uniqueId} under Manage Domain Wide Delegation with ${typed.join(",")}`,
        `  (${forgotten} forgotten on purpose).`,
        "",
        ...commandLines(run, w.color, APP_ENV_NOTE),
      ],
      [
        expectExit(run, EXIT.findings),
        ...expectDiagnoses(run, ["dwd_scope_not_authorized"]),
        expect(
          `exactly ${d.mailboxes.length} failing rows, one per mailbox, for ${forgotten}`,
          failing.map((c) => c.id).join(", ") || "none",
          failing.length === d.mailboxes.length && failing.every((c) => c.id.endsWith(`[${forgotten}]`)),
        ),
        expect(
          "one prefilled admin-console link with the client ID and the full scope list",
          links.join(" ") || "no link",
          links.length === 1 && links[0] === dwdPrefilledLink(d.uniqueId, d.scopes),
        ),
      ],
      run,
    ),
  };
}
