// Stage 9, Flectra's "Test the Connection" (issue 19): SMTP out and IMAP in with XOAUTH2, as the preset declares. The
// Workspace admin has IMAP turned off for the mailbox's domain: check-token diagnoses imap_disabled while SMTP passes;
// once the admin turns IMAP on, both pass.
import { EXIT } from "../../common/errors";
import type { KitRun } from "../kit";
import { expect, expectDiagnoses, expectExit, expectNoFailure, stage, type Stage } from "../stages";
import { checkTokenArgs, commandLines, kit, SAME_ENV_NOTE, type World } from "./world";

const status = (run: KitRun, id: string) => run.report?.checks.find((c) => c.id === id)?.status ?? "absent";

export async function testConnection(w: World, cloudToken: string): Promise<Stage> {
  const mailbox = w.target.mailbox;
  w.emu.admin.updateAccount(mailbox, { imapEnabled: false });
  const broken = await kit(w, cloudToken, checkTokenArgs(w));
  w.emu.admin.updateAccount(mailbox, { imapEnabled: true });
  const fixed = await kit(w, cloudToken, checkTokenArgs(w));
  return stage(
    "test-connection",
    "Flectra's Test the Connection: SMTP and IMAP with XOAUTH2",
    [
      `  The Workspace admin has IMAP turned off for ${mailbox}'s domain (the emulator's imapEnabled: false).`,
      "",
      ...commandLines(broken, w.color, SAME_ENV_NOTE),
      "",
      "  The admin turns IMAP on (Admin console → Gmail → End User Access → POP and IMAP access); the same command again:",
      "",
      ...commandLines(fixed, w.color, SAME_ENV_NOTE),
    ],
    [
      expectExit(broken, EXIT.findings),
      ...expectDiagnoses(broken, ["imap_disabled"]),
      expect("SMTP passes while IMAP is off", status(broken, "mail.smtp"), status(broken, "mail.smtp") === "pass"),
      expectExit(fixed, EXIT.ok),
      expectNoFailure(fixed),
      expect("SMTP passes after the fix", status(fixed, "mail.smtp"), status(fixed, "mail.smtp") === "pass"),
      expect("IMAP passes after the fix", status(fixed, "mail.imap"), status(fixed, "mail.imap") === "pass"),
    ],
    fixed,
  );
}
