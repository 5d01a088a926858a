// Stage 5, validate on the broken setup: the preflight finds the redirect URI, the consent flow the missing test user.
import { EXIT } from "../../common/errors";
import { expect, expectDiagnoses, expectExit, stage, type Stage } from "../stages";
import { BLOCKED_FLOW_TIMEOUT_S, browserLine, commandLines, ENV_NOTE, kit, validateArgs, type World } from "./world";

export async function validateBroken(w: World, cloudToken: string): Promise<Stage> {
  const before = w.browser.outcomes.length;
  w.browser.account = w.target.mailbox;
  const run = await kit(w, cloudToken, validateArgs(w, ["--timeout", String(BLOCKED_FLOW_TIMEOUT_S)]));
  await w.browser.waitForOutcomes(before + 1, 5_000);
  const seen = browserLine(w, before);
  const blocked = seen.outcome?.kind === "blocked" ? seen.outcome : undefined;
  return stage(
    "validate-broken",
    "validate: the preflight and the consent flow find both mistakes",
    [...commandLines(run, w.color, ENV_NOTE), "", seen.line],
    [
      expectExit(run, EXIT.findings),
      ...expectDiagnoses(run, ["redirect_uri_not_registered", "consent_not_completed"]),
      expect(
        `the browser blocked with Error 403: access_denied (${w.target.mailbox} is not a test user)`,
        blocked ? `Error ${blocked.httpCode ?? "?"}: ${blocked.error}` : (seen.outcome?.kind ?? "no outcome"),
        blocked?.error === "access_denied" && blocked.httpCode === 403,
      ),
    ],
    run,
  );
}
