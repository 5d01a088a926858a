// The emulator's SMTP and IMAP servers, started beside its HTTP origin on ephemeral loopback ports with a throwaway
// certificate, and how the kit finds them: GET /.well-known/gmail-oauth-mail on the emulator origin (the one
// addition to the --google-origin mechanism; real Google has no such document, so the kit asks only the emulator).
import type { AddressInfo, Server, Socket } from "node:net";
import { MAIL_HOSTS } from "../../google/mail";
import type { EmulatorStore } from "../store";
import { makeCertificate } from "./certificate";
import { imapServer } from "./imapServer";
import { smtpServers } from "./smtpServer";

import type { MailDiscovery } from "../../google/mail";

export interface RunningMail {
  readonly discovery: MailDiscovery;
  close(): Promise<void>;
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

export async function startMail(store: EmulatorStore, host: string): Promise<RunningMail> {
  const cert = await makeCertificate();
  const smtp = smtpServers(store, cert);
  const imap = imapServer(store, cert);
  const servers = [smtp.starttls, smtp.tls, imap];
  const open = new Set<Socket>();
  for (const s of servers)
    s.on("connection", (socket) => {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
    });
  const [starttlsPort, tlsPort, imapPort] = await Promise.all(servers.map((s) => listen(s, host)));
  const discovery: MailDiscovery = {
    smtp: { host, starttlsPort: starttlsPort, tlsPort: tlsPort, serverName: MAIL_HOSTS.smtp.host },
    imap: { host, port: imapPort, serverName: MAIL_HOSTS.imap.host },
    caCertificate: cert.cert,
  };
  return {
    discovery,
    async close() {
      for (const socket of open) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
