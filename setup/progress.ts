// The progress file of `gmail-oauth setup --resume`: the answers given so far and which steps are behind the person.
// It never holds a secret: the client JSON is kept as the path it was read from (a pasted one is asked for again),
// so the file is safe to leave in the app's directory. Written with mode 0600 anyway: it names the mailbox.
import { readFile } from "node:fs/promises";
import { InputError } from "../common/errors";
import { writeFileAtomically } from "../common/files";
import { describeJsonError } from "../common/json";
import { redact } from "../common/redact";

export const DEFAULT_PROGRESS_FILE = ".gmail-oauth-setup.json";
const VERSION = 1;

/** What the person answered; every field is optional until asked. */
export interface SetupAnswers {
  app?: string;
  appUrl?: string;
  callbackPath?: string;
  account?: string;
  project?: string;
  appName?: string;
  supportEmail?: string;
  userType?: string;
  publishingStatus?: string;
  /** The client JSON's path; undefined when it was pasted (its secret is never kept). */
  clientFile?: string;
  /** Client IDs are public (they appear in every consent URL), so the ID is kept to write the spec. */
  clientId?: string;
  loopbackUri?: string;
}

export type StepState = "passed" | "confirmed" | "skipped";

export interface Progress {
  readonly version: typeof VERSION;
  answers: SetupAnswers;
  /** Step key → how it ended, in the order the steps were finished. */
  steps: Record<string, StepState>;
}

export function newProgress(answers: SetupAnswers = {}): Progress {
  return { version: VERSION, answers, steps: {} };
}

const ANSWER_KEYS: readonly (keyof SetupAnswers)[] = [
  "app",
  "appUrl",
  "callbackPath",
  "account",
  "project",
  "appName",
  "supportEmail",
  "userType",
  "publishingStatus",
  "clientFile",
  "clientId",
  "loopbackUri",
];
const STATES: readonly StepState[] = ["passed", "confirmed", "skipped"];

/** Reads the progress file; a missing file is undefined, anything unreadable is an InputError naming the file. */
export async function loadProgress(file: string): Promise<Progress | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InputError(
      "--progress-file",
      `${file} is not readable`,
      "check its permissions, or start over without --resume",
    );
  }
  const fix = "delete it and start over without --resume";
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError("--progress-file", `${file} ${describeJsonError(text, e)}`, fix);
  }
  const o = doc as Partial<Progress> | null;
  if (
    !o ||
    typeof o !== "object" ||
    o.version !== VERSION ||
    typeof o.answers !== "object" ||
    typeof o.steps !== "object"
  )
    throw new InputError("--progress-file", `${file} is not a progress file of this version of gmail-oauth setup`, fix);
  const answers: SetupAnswers = {};
  for (const k of ANSWER_KEYS) {
    const v = (o.answers as Record<string, unknown>)[k];
    if (typeof v === "string") answers[k] = v;
  }
  const steps: Record<string, StepState> = {};
  for (const [k, v] of Object.entries(o.steps ?? {})) if (STATES.includes(v as StepState)) steps[k] = v as StepState;
  return { version: VERSION, answers, steps };
}

/** Replaced atomically: a Ctrl-C mid-write never leaves half a file. */
export async function saveProgress(file: string, progress: Progress): Promise<void> {
  // redact() as a last guard: nothing secret is meant to be here.
  await writeFileAtomically(file, `${redact(JSON.stringify(progress, null, 2))}\n`, 0o600);
}
