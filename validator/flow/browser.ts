// Opening the consent page: $BROWSER when set (the URL as its argument), otherwise the system opener.
// No shell is involved, so nothing in the URL can be read as a command.
import { spawn } from "node:child_process";

export type OpenOutcome = { readonly ok: true; readonly how: string } | { readonly ok: false; readonly reason: string };

/** The argv to run: $BROWSER's first entry (a colon-separated list by convention), `%s` replaced or the URL appended. */
export function browserCommand(
  url: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): { command: string; args: string[]; how: string } {
  const fromEnv = env.BROWSER?.trim();
  if (fromEnv) {
    const first = (platform === "win32" ? fromEnv : fromEnv.split(":")[0]).trim();
    const words = first.split(/\s+/).filter(Boolean);
    const args = words.slice(1);
    const withUrl = args.some((a) => a.includes("%s")) ? args.map((a) => a.replace(/%s/g, url)) : [...args, url];
    return { command: words[0], args: withUrl, how: `$BROWSER (${words[0]})` };
  }
  if (platform === "darwin") return { command: "open", args: [url], how: "open" };
  // `start` treats its first quoted argument as a window title, hence the empty one.
  if (platform === "win32")
    return { command: "cmd", args: ["/c", "start", '""', url.replace(/&/g, "^&")], how: "start" };
  return { command: "xdg-open", args: [url], how: "xdg-open" };
}

export function openInBrowser(
  url: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<OpenOutcome> {
  const { command, args, how } = browserCommand(url, env, platform);
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      // Its output is dropped: a browser (or a $BROWSER script) may print the redirect, code included.
      child = spawn(command, args, { env, stdio: "ignore", detached: platform !== "win32" });
    } catch (e) {
      resolve({ ok: false, reason: `${how} could not start: ${(e as Error).message}` });
      return;
    }
    child.once("error", (e: NodeJS.ErrnoException) =>
      resolve({ ok: false, reason: `${how} could not start (${e.code ?? e.message})` }),
    );
    child.once("spawn", () => {
      child.unref();
      resolve({ ok: true, how });
    });
  });
}
