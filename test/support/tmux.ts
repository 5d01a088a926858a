// A real terminal for tests of interactive commands: a tmux server on its own socket (`tmux -L NAME`), one pane
// running the command, keys sent with send-keys and the screen read back with capture-pane. Every wait is bounded
// and fails with what the screen showed, and kill() ends the server (call it in afterAll).
import { execFile } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitFor } from "./waitFor";

const run = promisify(execFile);
const EXITED = "[exited ";
/**
 * The default bound on one wait. Generous: the command starts from its TypeScript sources, and the machine the tests
 * share may be busy; a wait that runs out fails with the screen it saw.
 */
const WAIT_MS = 90_000;

/** Quotes one word for the shell tmux runs the command with. */
const sh = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Tmux {
  readonly socket: string;
  /** Everything the pane printed so far (scrollback included, wrapped lines joined), ending "[exited N]" once done. */
  screen(): Promise<string>;
  /** Waits until `pattern` appears after the last match; returns the match. Throws with the screen at the deadline. */
  waitFor(pattern: RegExp | string, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Types `text` (literally) and, unless `enter` is false, presses Enter. */
  type(text: string, enter?: boolean): Promise<void>;
  /** Sends tmux key names, e.g. "C-c", "Enter". */
  keys(...names: string[]): Promise<void>;
  /** Waits for the command to end; its exit status (written once the shell has reaped it, so the process is gone). */
  exitCode(timeoutMs?: number): Promise<number>;
  /** The command's own pid (the pane shell's child) while it runs; 0 once it has ended. */
  pid(): number;
  kill(): Promise<void>;
}

export async function startTmux(opts: {
  socket: string;
  dir: string;
  command: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  width?: number;
}): Promise<Tmux> {
  const conf = join(opts.dir, `${opts.socket}.tmux.conf`);
  // remain-on-exit keeps the pane (and its exit status) after the command ends; a long history keeps all output.
  writeFileSync(conf, "set -g history-limit 100000\nset -g remain-on-exit on\nset -g status off\n");
  const tmux = (...args: string[]) => run("tmux", ["-L", opts.socket, "-f", conf, ...args], { timeout: 10_000 });
  const envWords = Object.entries(opts.env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => sh(`${k}=${v}`));
  // The exit status is printed by the shell once it has reaped the command: tmux's own #{pane_dead_status} is not
  // reliably set when a pane dies, and tmux may leave a finished child a zombie for seconds on a busy machine.
  // `trap : INT` keeps that shell alive through Ctrl-C without changing what the command gets; the shell writes its
  // pid so the command's can be found (its child).
  const shellPidFile = join(opts.dir, `${opts.socket}.shell-pid`);
  const line = `echo $$ > ${sh(shellPidFile)}; trap : INT; env -i ${envWords.join(" ")} ${opts.command.map(sh).join(" ")}; echo "${EXITED}$?]"`;
  await tmux("new-session", "-d", "-s", "t", "-x", String(opts.width ?? 160), "-y", "50", "-c", opts.cwd, line);
  const socketPath = (await tmux("display-message", "-p", "#{socket_path}")).stdout.trim();
  let cursor = 0;
  const screen = async () =>
    (await tmux("capture-pane", "-p", "-J", "-S", "-100000", "-t", "t")).stdout.replace(/[ \t]+$/gm, "");
  const deadline = <T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> =>
    // Each probe runs tmux capture-pane: poll gently on a shared machine.
    waitFor(`${what} (tmux ${opts.socket})`, probe, { timeoutMs: ms, seen: screen, intervalMs: 150 });
  return {
    socket: opts.socket,
    screen,
    waitFor: (pattern, timeoutMs = WAIT_MS) =>
      deadline(`no ${String(pattern)} after position ${cursor}`, timeoutMs, async () => {
        const text = await screen();
        // capture-pane drops trailing blanks, so a prompt's trailing space is not matched.
        const literal = typeof pattern === "string" ? pattern.replace(/\s+$/, "") : "";
        const re = typeof pattern === "string" ? new RegExp(literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : pattern;
        const m = re.exec(text.slice(cursor));
        if (!m) return undefined;
        m.index = (m.index ?? 0) + cursor;
        cursor = m.index + m[0].length;
        return m;
      }),
    type: async (text, enter = true) => {
      if (text) await tmux("send-keys", "-t", "t", "-l", text);
      if (enter) await tmux("send-keys", "-t", "t", "Enter");
    },
    keys: async (...names) => {
      await tmux("send-keys", "-t", "t", ...names);
    },
    exitCode: (timeoutMs = WAIT_MS) =>
      deadline("the command did not exit", timeoutMs, async () => {
        const m = /\[exited (\d+)\]/.exec(await screen());
        return m ? Number(m[1]) : undefined;
      }),
    pid: () => {
      const read = (file: string) => {
        try {
          return readFileSync(file, "utf8").trim();
        } catch {
          return "";
        }
      };
      const shell = read(shellPidFile);
      return shell ? Number(read(`/proc/${shell}/task/${shell}/children`).split(" ")[0]) || 0 : 0;
    },
    kill: async () => {
      await tmux("kill-server").catch(() => undefined);
      // A killed server can leave its socket file behind.
      if (socketPath) rmSync(socketPath, { force: true });
    },
  };
}
