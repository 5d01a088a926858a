// Stage 12, six days later: check-token forecasts the Testing expiry from the consent record the token file keeps.
import { EXIT } from "../../common/errors";
import { expect, expectDiagnoses, expectExit, stage, type Stage } from "../stages";
import { checkTokenArgs, commandLines, DAY_MS, FORECAST_DAYS, kit, SAME_ENV_NOTE, type World } from "./world";

export async function forecast(w: World, cloudToken: string): Promise<Stage> {
  const now = w.emu.admin.advanceClock(FORECAST_DAYS * DAY_MS);
  const run = await kit(w, cloudToken, checkTokenArgs(w));
  const check = run.report?.checks.find((c) => c.id === "token.forecast");
  return stage(
    "forecast",
    `${FORECAST_DAYS} days later: check-token forecasts the expiry from the kept consent record`,
    [
      `  The emulator's clock moved ${FORECAST_DAYS} days ahead (now ${new Date(now).toISOString()}); the token file --keep-token wrote records when consent happened and the lifetime Google announced.`,
      "",
      ...commandLines(run, w.color, SAME_ENV_NOTE),
    ],
    [
      expectExit(run, EXIT.ok),
      ...expectDiagnoses(run, ["refresh_token_expires_soon"]),
      expect(
        "the forecast says when the token dies",
        check?.detail ?? "no forecast",
        /expires in .*, on /.test(check?.detail ?? ""),
      ),
    ],
    run,
  );
}
