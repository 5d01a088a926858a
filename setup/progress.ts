// The progress file of `gmail-oauth setup --resume`: the answers given so far and which steps are behind the person.
// It never holds a secret: the client JSON is kept as the path it was read from (a pasted one is asked for again),
// so the file is safe to leave in the app's directory. Written with mode 0600 anyway: it names the mailbox.
import { readFile } from "node:fs/promises";
import { InputError } from "../common/errors";
import { writeFileAtomically } from "../common/files";
import { describeJsonError } from "../common/json";
import { redact } from "../common/redact";
import { keysOf } from "../common/schema";
import { z } from "zod";

export const DEFAULT_PROGRESS_FILE = ".gmail-oauth-setup.json";
const VERSION = 1;

export const STEP_STATES = ["passed", "confirmed", "skipped"] as const;

/** What the person answered; every field is optional until asked. */
export const setupAnswersSchema = z.strictObject({
  app: z.string().optional(),
  appUrl: z.string().optional(),
  callbackPath: z.string().optional(),
  account: z.string().optional(),
  project: z.string().optional(),
  appName: z.string().optional(),
  supportEmail: z.string().optional(),
  userType: z.string().optional(),
  publishingStatus: z.string().optional(),
  clientFile: z
    .string()
    .optional()
    .describe("The client JSON's path; unset when it was pasted (its secret is never kept)."),
  clientId: z
    .string()
    .optional()
    .describe("Client IDs are public (they appear in every consent URL), so the ID is kept to write the spec."),
  loopbackUri: z.string().optional(),
});

/** The whole file: the answers and, step key → how it ended, in the order the steps were finished. */
export const progressFileSchema = z.strictObject({
  version: z.literal(VERSION),
  answers: setupAnswersSchema,
  steps: z.record(z.string(), z.enum(STEP_STATES)),
});

export type SetupAnswers = z.infer<typeof setupAnswersSchema>;
export type StepState = (typeof STEP_STATES)[number];

export interface Progress {
  readonly version: typeof VERSION;
  answers: SetupAnswers;
  steps: Record<string, StepState>;
}

export function newProgress(answers: SetupAnswers = {}): Progress {
  return { version: VERSION, answers, steps: {} };
}

const ANSWER_KEYS = keysOf(setupAnswersSchema);
/** The file's frame; answers and steps are then read one by one, so a file an older setup wrote still loads. */
const stepState = z.enum(STEP_STATES);
const frameSchema = z.looseObject({
  version: progressFileSchema.shape.version,
  answers: z.record(z.string(), z.unknown()),
  steps: z.record(z.string(), z.unknown()),
});

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
  const frame = frameSchema.safeParse(doc);
  if (!frame.success)
    throw new InputError("--progress-file", `${file} is not a progress file of this version of gmail-oauth setup`, fix);
  const answers: SetupAnswers = {};
  for (const k of ANSWER_KEYS) {
    const v = frame.data.answers[k];
    if (typeof v === "string") answers[k] = v;
  }
  const steps: Record<string, StepState> = {};
  for (const [k, v] of Object.entries(frame.data.steps)) {
    const state = stepState.safeParse(v);
    if (state.success) steps[k] = state.data;
  }
  return { version: VERSION, answers, steps };
}

/** Replaced atomically: a Ctrl-C mid-write never leaves half a file. */
export async function saveProgress(file: string, progress: Progress): Promise<void> {
  // redact() as a last guard: nothing secret is meant to be here.
  await writeFileAtomically(file, `${redact(JSON.stringify(progress, null, 2))}\n`, 0o600);
}
