// Stage 13, eight days after consent: check-token diagnoses the Testing-mode expiry, its cause ranked first.
import { EXIT } from "../../common/errors";
import { expect, expectDiagnoses, expectExit, stage, type Stage } from "../stages";
import {
  checkTokenArgs,
  commandLines,
  DAY_MS,
  EXPIRY_DAYS,
  FORECAST_DAYS,
  kit,
  SAME_ENV_NOTE,
  type World,
} from "./world";

export async function expiry(w: World, cloudToken: string): Promise<Stage> {
  const now = w.emu.admin.advanceClock((EXPIRY_DAYS - FORECAST_DAYS) * DAY_MS);
  const run = await kit(w, cloudToken, checkTokenArgs(w));
  const refresh = run.report?.checks.find((c) => c.diagnosis === "refresh_token_invalid");
  // The catalogue ranks the causes in the detail: "Likely causes, most likely first: 1. the app is in Testing, …".
  const first = /most likely first: 1\. ([^;]*)/.exec(refresh?.detail ?? "")?.[1];
  return stage(
    "expiry",
    `${EXPIRY_DAYS} days later: check-token diagnoses the Testing-mode expiry`,
    [
      `  The emulator's clock moved ${EXPIRY_DAYS - FORECAST_DAYS} more days ahead (now ${new Date(now).toISOString()}, ${EXPIRY_DAYS} days after consent); refresh tokens of a Testing app die 7 days after consent.`,
      "",
      ...commandLines(run, w.color, SAME_ENV_NOTE),
    ],
    [
      expectExit(run, EXIT.findings),
      ...expectDiagnoses(run, ["refresh_token_invalid"]),
      expect(
        "the Testing 7-day expiry ranked as the first cause",
        first ?? "no ranked causes",
        /Testing/.test(first ?? ""),
      ),
    ],
    run,
  );
}
