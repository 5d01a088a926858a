// A line-oriented conversation on a socket that can change under it (STARTTLS): the SMTP and IMAP servers read
// CRLF-terminated lines and write replies; a socket error or a client that goes away ends the conversation quietly.
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import type { Certificate } from "./certificate";

const MAX_LINE = 64 * 1024;

export class LineConversation {
  private buffer = "";
  private socket: Socket;
  private closed = false;

  constructor(
    socket: Socket,
    private readonly onLine: (line: string) => void,
  ) {
    this.socket = socket;
    this.attach(socket);
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  write(...lines: string[]): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(lines.map((l) => `${l}\r\n`).join(""));
  }

  /** Write the last reply, then close. */
  end(...lines: string[]): void {
    if (this.closed) return;
    this.write(...lines);
    this.closed = true;
    this.socket.end();
  }

  /** Replace the plain socket by TLS over it (STARTTLS); lines already buffered are dropped, as RFC 3207 asks. */
  startTls(cert: Certificate): void {
    const plain = this.socket;
    plain.removeAllListeners("data");
    this.buffer = "";
    const secure = new TLSSocket(plain, { isServer: true, key: cert.key, cert: cert.cert });
    this.socket = secure;
    this.attach(secure);
  }

  private attach(socket: Socket): void {
    socket.setEncoding("utf8");
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      this.closed = true;
    });
    socket.on("data", (chunk: string) => {
      this.buffer += chunk;
      if (this.buffer.length > MAX_LINE && !this.buffer.includes("\n")) {
        this.end("500 5.5.0 Line too long");
        return;
      }
      let i = this.buffer.indexOf("\n");
      while (i >= 0 && !this.closed && this.socket === socket) {
        const line = this.buffer.slice(0, i).replace(/\r$/, "");
        this.buffer = this.buffer.slice(i + 1);
        this.onLine(line);
        i = this.buffer.indexOf("\n");
      }
    });
  }
}
