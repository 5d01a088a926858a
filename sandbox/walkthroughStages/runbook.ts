// Stage 2: the console runbook the stack outputs, for what no Google API can do.
import type { StackOutputs } from "../mockEngine";
import { expect, stage, type Stage } from "../stages";
import type { World } from "./world";

export function runbook(w: World, outputs: StackOutputs): Stage {
  const text = outputs.consoleRunbook;
  const { spec } = w.stack.parsed;
  const missing = [...spec.audience.testUsers, w.target.appRedirectUri].filter((v) => !text.includes(v));
  return stage(
    "runbook",
    "The console runbook: what no Google API can do (stack output consoleRunbook)",
    text
      .trimEnd()
      .split("\n")
      .map((l) => `  │ ${l}`),
    [
      expect(
        "the runbook lists every test user and the app's redirect URI",
        missing.length === 0 ? "all listed" : `missing ${missing.join(", ")}`,
        missing.length === 0,
      ),
    ],
  );
}
