// Stage 7, validate on the fixed setup: it passes (with the expected Testing warning) and keeps the refresh token.
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { EXIT } from "../../common/errors";
import { expect, expectDiagnoses, expectExit, expectNoFailure, stage, type Stage } from "../stages";
import { browserLine, commandLines, ENV_NOTE, kit, TOKEN_FILE, validateArgs, type World } from "./world";

export async function validateFixed(w: World, cloudToken: string): Promise<Stage> {
  const before = w.browser.outcomes.length;
  const run = await kit(w, cloudToken, validateArgs(w, ["--keep-token", TOKEN_FILE]));
  await w.browser.waitForOutcomes(before + 1, 5_000);
  const kept = await stat(join(w.dir, TOKEN_FILE)).catch(() => undefined);
  const mode = kept ? (kept.mode & 0o777).toString(8).padStart(4, "0") : undefined;
  return stage(
    "validate-fixed",
    "validate again: the fixed setup passes (the Testing 7-day warning is expected)",
    [...commandLines(run, w.color, ENV_NOTE), "", browserLine(w, before).line],
    [
      expectExit(run, EXIT.ok),
      expectNoFailure(run),
      ...expectDiagnoses(run, ["testing_refresh_token_expiry"]),
      expect(
        `the refresh token kept in ${TOKEN_FILE} with mode 0600`,
        mode ? `mode ${mode}` : "no file",
        mode === "0600",
      ),
    ],
    run,
  );
}
