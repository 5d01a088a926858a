// Stage 11, the admin opens the prefilled link: validate --service-account passes for every mailbox × scope.
import { EXIT } from "../../common/errors";
import { expect, expectExit, expectNoFailure, stage, type Stage } from "../stages";
import { APP_ENV_NOTE, appCredential, delegated, domainsOf, kitAsApp, noDelegationStage } from "./delegation";
import { commandLines, type World } from "./world";

/** `appToken`: the app's credential from the broken stage; made here when that stage had none to make. */
export async function delegationFixed(w: World, appToken: string | undefined): Promise<Stage> {
  const id = "dwd-validate-fixed";
  const title = "The admin opens the prefilled link: validate passes for every mailbox and scope";
  const d = delegated(w);
  if (!d) return noDelegationStage(id, title);
  for (const domain of domainsOf(d.mailboxes))
    w.emu.admin.setDelegation({ domain, clientId: d.uniqueId, scopes: [...d.scopes] });
  const run = await kitAsApp(w, appToken ?? appCredential(w), d.email);
  const rows = (run.report?.checks ?? []).filter((c) => c.id.startsWith("sa.token[") && c.status === "pass");
  return stage(
    id,
    title,
    [`  The delegation now lists ${d.scopes.join(",")}.`, "", ...commandLines(run, w.color, APP_ENV_NOTE)],
    [
      expectExit(run, EXIT.ok),
      expectNoFailure(run),
      expect(
        `${d.mailboxes.length * d.scopes.length} token rows pass`,
        `${rows.length} passed`,
        rows.length === d.mailboxes.length * d.scopes.length,
      ),
    ],
    run,
  );
}
