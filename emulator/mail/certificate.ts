// The throwaway certificate the emulator's SMTP and IMAP servers present: made with openssl at start, valid one day,
// for smtp.gmail.com, imap.gmail.com and 127.0.0.1. The kit trusts it only because the emulator's mail discovery
// hands it over (emulator/mail/discovery.ts); nothing else does.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAIL_HOSTS } from "../../google/mail";

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

export async function makeCertificate(): Promise<Certificate> {
  const dir = await mkdtemp(join(tmpdir(), "gmail-oauth-emulator-tls-"));
  try {
    const keyFile = join(dir, "key.pem");
    const certFile = join(dir, "cert.pem");
    const san = `subjectAltName=DNS:${MAIL_HOSTS.smtp.host},DNS:${MAIL_HOSTS.imap.host},IP:127.0.0.1`;
    await new Promise<void>((resolve, reject) => {
      execFile(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-days",
          "1",
          "-subj",
          `/CN=${MAIL_HOSTS.smtp.host}`,
          "-addext",
          san,
          "-keyout",
          keyFile,
          "-out",
          certFile,
        ],
        { timeout: 20_000 },
        (err, _stdout, stderr) =>
          err
            ? reject(new Error(`openssl could not make the certificate: ${String(stderr).trim() || err.message}`))
            : resolve(),
      );
    });
    return { key: await readFile(keyFile, "utf8"), cert: await readFile(certFile, "utf8") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
