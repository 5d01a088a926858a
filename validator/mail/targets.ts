// Where the SMTP and IMAP tests connect: Google's hosts (google-behaviour.md §11) with the system's CAs, or, under --google-origin,
// the servers the emulator names at MAIL_DISCOVERY_PATH together with the throwaway certificate to trust. The kit
// trusts that certificate for those servers only, and only because the origin the user chose handed it over.
import type { GoogleEndpoints } from "../../google/endpoints";
import { MAIL_DISCOVERY_PATH, MAIL_HOSTS, type MailDiscovery } from "../../google/mail";
import { describeInconclusive, httpRequest } from "../http";

export interface MailTarget {
  readonly host: string;
  readonly port: number;
  /** Implicit TLS (465, 993); false: STARTTLS (587). */
  readonly secure: boolean;
  /** The name the certificate must carry (smtp.gmail.com / imap.gmail.com). */
  readonly servername: string;
  /** PEM to trust instead of the system's CAs (the emulator's), if any. */
  readonly ca?: string;
}

export interface MailTargets {
  readonly smtp: MailTarget;
  /** The other SMTP port, tried when the first is unreachable (465 after 587). */
  readonly smtpFallback: MailTarget;
  readonly imap: MailTarget;
}

export type MailTargetsCall =
  | { readonly kind: "ok"; readonly targets: MailTargets }
  | { readonly kind: "inconclusive"; readonly reason: string };

export function googleMailTargets(): MailTargets {
  const { smtp, imap } = MAIL_HOSTS;
  return {
    smtp: { host: smtp.host, port: smtp.starttlsPort, secure: false, servername: smtp.host },
    smtpFallback: { host: smtp.host, port: smtp.tlsPort, secure: true, servername: smtp.host },
    imap: { host: imap.host, port: imap.port, secure: true, servername: imap.host },
  };
}

function isDiscovery(v: unknown): v is MailDiscovery {
  const d = v as MailDiscovery | undefined;
  return (
    typeof d?.caCertificate === "string" &&
    typeof d.smtp?.host === "string" &&
    Number.isInteger(d.smtp.starttlsPort) &&
    Number.isInteger(d.smtp.tlsPort) &&
    typeof d.imap?.host === "string" &&
    Number.isInteger(d.imap.port)
  );
}

export async function resolveMailTargets(endpoints: GoogleEndpoints, deadline: number): Promise<MailTargetsCall> {
  if (!endpoints.origin) return { kind: "ok", targets: googleMailTargets() };
  const url = `${endpoints.origin}${MAIL_DISCOVERY_PATH}`;
  const outcome = await httpRequest(url, { deadline, attempts: 2 });
  if (outcome.kind !== "response") return { kind: "inconclusive", reason: `${url}: ${describeInconclusive(outcome)}` };
  if (outcome.status !== 200 || !isDiscovery(outcome.json)) {
    const said = (outcome.json as { error?: unknown } | undefined)?.error;
    return {
      kind: "inconclusive",
      reason: `--google-origin names no SMTP/IMAP servers (${url} answered HTTP ${outcome.status}${typeof said === "string" ? `: ${said}` : ""})`,
    };
  }
  const d = outcome.json;
  return {
    kind: "ok",
    targets: {
      smtp: {
        host: d.smtp.host,
        port: d.smtp.starttlsPort,
        secure: false,
        servername: d.smtp.serverName,
        ca: d.caCertificate,
      },
      smtpFallback: {
        host: d.smtp.host,
        port: d.smtp.tlsPort,
        secure: true,
        servername: d.smtp.serverName,
        ca: d.caCertificate,
      },
      imap: { host: d.imap.host, port: d.imap.port, secure: true, servername: d.imap.serverName, ca: d.caCertificate },
    },
  };
}
