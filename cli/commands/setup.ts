// `gmail-oauth setup`: the console steps walked with the person, each checked the moment it is done (setup/).
// Only the option table is loaded here; the body is imported when the command runs.
import { ENV } from "../../common/env";
import { PRESET_NAMES } from "../../connection/presets";
import { defineCommand } from "../context";

const APP = "The app and its Gmail mailbox:";
const RUN = "How the run goes:";

export const setupCommand = defineCommand({
  command: "setup",
  describe: "Walk the Google console steps one at a time, checking each as soon as it is done (no Pulumi needed)",
  builder: (y) =>
    y
      .option("app", {
        type: "string",
        describe: `The app: ${PRESET_NAMES.join(" | ")}`,
        group: APP,
        requiresArg: true,
      })
      .option("app-url", {
        type: "string",
        describe: "The app's public base URL (Flectra/Odoo: web.base.url)",
        group: APP,
        requiresArg: true,
      })
      .option("callback-path", {
        type: "string",
        describe: "The app's redirect path (generic apps; Hero_Flow when changed)",
        group: APP,
        requiresArg: true,
      })
      .option("account", { type: "string", describe: "The mailbox to connect", group: APP, requiresArg: true })
      .option("project", { type: "string", describe: "The Google Cloud project ID", group: APP, requiresArg: true })
      .option("app-name", { type: "string", describe: "App name on the consent screen", group: APP, requiresArg: true })
      .option("support-email", {
        type: "string",
        describe: "Support email on the consent screen (default: the mailbox)",
        group: APP,
        requiresArg: true,
      })
      .option("user-type", { type: "string", describe: "external (default) | internal", group: APP, requiresArg: true })
      .option("publishing-status", {
        type: "string",
        describe: "testing (default) | production",
        group: APP,
        requiresArg: true,
      })
      .option("client-secret-file", {
        type: "string",
        describe: "The client JSON downloaded from the console (asked for when interactive)",
        group: APP,
        requiresArg: true,
      })
      .option("loopback-uri", {
        type: "string",
        describe: "The loopback redirect URI registered for the test sign-in (default http://127.0.0.1:8085/)",
        group: RUN,
        requiresArg: true,
      })
      .option("non-interactive", {
        type: "boolean",
        describe: "No questions: every value from flags, every check once (for scripts)",
        group: RUN,
      })
      .option("resume", { type: "boolean", describe: "Continue where the last run stopped", group: RUN })
      .option("progress-file", {
        type: "string",
        describe: "Where progress is kept (no secret in it; default .gmail-oauth-setup.json)",
        group: RUN,
        requiresArg: true,
      })
      .option("stack-name", {
        type: "string",
        describe: "Name of the Pulumi stack config written at the end (Pulumi.NAME.yaml; default gmail)",
        group: RUN,
        requiresArg: true,
      })
      .option("browser", {
        type: "boolean",
        describe: "Open the consent page; --no-browser prints it and accepts the landing address pasted on stdin",
        group: RUN,
      })
      .option("timeout", {
        type: "number",
        describe: "Seconds to wait for the sign-in and for each check (default 300)",
        group: RUN,
        requiresArg: true,
      })
      .option("google-origin", {
        type: "string",
        describe: `Send every request meant for Google to this origin (also ${ENV.googleOrigin}); for the emulator`,
        group: RUN,
        requiresArg: true,
      })
      .option("json", { type: "boolean", describe: "The summary as one JSON document on stdout", group: RUN }),
  handler: async (argv) => {
    const { runSetup } = await import("../handlers/setup.js");
    argv.io.exitCode = await runSetup(argv, argv.io);
  },
});
