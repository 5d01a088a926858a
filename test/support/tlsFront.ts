// A TLS front for the emulator, signed by a throwaway CA made with openssl: it stands for Google as seen through a
// TLS-inspecting proxy (a certificate chain ending in a CA Node does not ship). The front terminates TLS and relays
// the bytes to the emulator; NODE_EXTRA_CA_CERTS=<ca> makes the chain trusted, as the corporate CA would be.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:tls";

export interface TlsFront {
  /** https://127.0.0.1:PORT */
  readonly origin: string;
  /** The throwaway CA's certificate (PEM file): what NODE_EXTRA_CA_CERTS would name. */
  readonly caFile: string;
  close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: "ignore" });
}

export async function startTlsFront(upstream: string): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), "tls-front-"));
  openssl(
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Throwaway Inspection CA"].concat([
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
    ]),
    dir,
  );
  openssl(
    ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "leaf.key", "-out", "leaf.csr"],
    dir,
  );
  // DNS:localhost too: through a CONNECT tunnel https-proxy-agent upgrades to TLS without the (IP) host, so Node checks
  // the certificate against its default name, localhost. Google's hosts are names, where the agent sets servername.
  writeFileSync(join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n");
  openssl(
    ["x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "1"].concat([
      "-extfile",
      "san.ext",
      "-out",
      "leaf.pem",
    ]),
    dir,
  );
  const ca = readFileSync(join(dir, "ca.pem"));
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  // The chain includes the CA, as inspecting proxies send it: Node then says "self-signed certificate in certificate chain".
  const server = createServer(
    { key: readFileSync(join(dir, "leaf.key")), cert: Buffer.concat([readFileSync(join(dir, "leaf.pem")), ca]) },
    (tlsSocket) => {
      const up = connect(Number(target.port), target.hostname);
      sockets.add(up);
      tlsSocket.pipe(up).pipe(tlsSocket);
      const end = () => {
        up.destroy();
        tlsSocket.destroy();
      };
      up.on("error", end);
      tlsSocket.on("error", end);
      up.once("close", () => sockets.delete(up));
    },
  );
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile: join(dir, "ca.pem"),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        for (const s of sockets) s.destroy();
      }),
  };
}
