// Stage 8, check-token: the kept refresh token works.
import { EXIT } from "../../common/errors";
import { expectExit, expectNoFailure, stage, type Stage } from "../stages";
import { checkTokenArgs, commandLines, kit, SAME_ENV_NOTE, type World } from "./world";

export async function checkToken(w: World, cloudToken: string): Promise<Stage> {
  const run = await kit(w, cloudToken, checkTokenArgs(w));
  return stage(
    "check-token",
    "check-token: the kept refresh token works",
    commandLines(run, w.color, SAME_ENV_NOTE),
    [expectExit(run, EXIT.ok), expectNoFailure(run)],
    run,
  );
}
